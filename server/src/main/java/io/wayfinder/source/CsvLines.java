package io.wayfinder.source;

import io.wayfinder.net.IpPrefix;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a simple CSV data file line by line: comma-separated, no quoting, {@code #} comments and
 * blank lines skipped, one header line. Every error names the file and line.
 *
 * <p>A reader checks each row in a try block, hands a bad row's error to {@link #reject} and goes
 * on, then calls {@link #throwIfRejected()}: a user sees every bad row at once (up to
 * {@link #MAX_REPORTED}), as with the YAML checks, not one per attempt.
 */
public final class CsvLines {
    /** Bad rows reported one by one; beyond these, only how many more there are. */
    public static final int MAX_REPORTED = 20;

    /** Where lines come from: a {@link BufferedReader}, or {@link ByteLines} for a reader that parses most rows itself. */
    @FunctionalInterface
    public interface LineSource {
        /** The next line without its ending, or null at the end. */
        String readLine() throws IOException;
    }

    private final Path file;
    private final LineSource in;
    private int lineNumber;
    private final List<String> rejected = new ArrayList<>();
    private int moreRejected;

    public CsvLines(Path file, BufferedReader in) {
        this(file, in::readLine);
    }

    public CsvLines(Path file, LineSource in) {
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
        String line = nextLine();
        return line == null ? null : split(line);
    }

    /**
     * The next data line, stripped, not split: for a reader of millions of rows that parses the
     * common row in place and hands only the others to {@link #split}. Null at the end of the file.
     */
    public String nextLine() throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && trimmed.charAt(0) != '#') {
                return trimmed;
            }
        }
        return null;
    }

    /** Counts a data line the caller read and parsed itself from the same source, so that later errors name the right line. */
    public void countLine() {
        lineNumber++;
    }

    /** A line of {@link #nextLine} split on commas, as {@link #next} returns it. */
    public String[] split(String line) {
        return line.split(",", -1);
    }

    public SourceFormatException error(String message) {
        return new SourceFormatException(file + ":" + lineNumber + ": " + message);
    }

    /** Records a bad row's error (an {@link #error}) and lets reading go on. */
    public void reject(SourceFormatException e) {
        for (String problem : e.problems()) {
            if (rejected.size() < MAX_REPORTED) {
                rejected.add(problem);
            } else {
                moreRejected++;
            }
        }
    }

    /** Throws every rejected row's error together, if there was any. */
    public void throwIfRejected() throws SourceFormatException {
        if (rejected.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>(rejected);
        if (moreRejected > 0) {
            problems.add(file + ": and " + moreRejected + " more bad row" + (moreRejected == 1 ? "" : "s"));
        }
        throw new SourceFormatException(problems);
    }

    /**
     * A network with its length ({@code 192.0.2.0/24}, {@code 2001:db8::/32}). A bare address is an
     * error, not silently a /32: in a file of networks it is more often a slip than one host.
     */
    public IpPrefix prefix(String text) throws SourceFormatException {
        String s = text.strip();
        try {
            IpPrefix prefix = IpPrefix.parse(s);
            if (!s.contains("/")) {
                throw error("'" + s + "' has no prefix length: write " + prefix + " for one address, or the network"
                        + " it belongs to (such as " + prefix.truncate(prefix.ipv6() ? 48 : 24) + ")");
            }
            return prefix;
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
