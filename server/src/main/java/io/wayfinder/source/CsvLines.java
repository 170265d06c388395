package io.wayfinder.source;

import io.wayfinder.net.IpPrefix;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a simple CSV data file line by line: comma-separated, no quoting, {@code #} comments and
 * blank lines skipped, one header line. Every error names the file and line.
 */
public final class CsvLines {
    private final Path file;
    private final BufferedReader in;
    private int lineNumber;

    public CsvLines(Path file, BufferedReader in) {
        this.file = file;
        this.in = in;
    }

    /** Reads the header and checks that it starts with the given column names (case-insensitive). */
    public String[] expectHeader(String... leadingColumns) throws IOException {
        String[] header = next();
        if (header == null) {
            throw new SourceFormatException(file + ": empty file, expected a header line starting with "
                    + String.join(",", leadingColumns));
        }
        for (int i = 0; i < leadingColumns.length; i++) {
            if (i >= header.length || !header[i].strip().toLowerCase(Locale.ROOT).equals(leadingColumns[i])) {
                throw error("expected a header line starting with " + String.join(",", leadingColumns));
            }
        }
        return header;
    }

    /** The next data line split on commas, or null at the end of the file. */
    public String[] next() throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && trimmed.charAt(0) != '#') {
                return trimmed.split(",", -1);
            }
        }
        return null;
    }

    public SourceFormatException error(String message) {
        return new SourceFormatException(file + ":" + lineNumber + ": " + message);
    }

    public IpPrefix prefix(String text) throws SourceFormatException {
        try {
            return IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    public double number(String text, String column, double min, double max) throws SourceFormatException {
        double value;
        try {
            value = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw error(column + " '" + text + "' is not a number");
        }
        if (!(value >= min && value <= max)) {
            throw error(column + " " + text.strip() + " is outside " + trim(min) + ".." + trim(max));
        }
        return value;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
