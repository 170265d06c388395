package io.wayfinder.geo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a tab-separated table: {@code #} comment lines and blank lines are skipped, the first other
 * line must be the expected header, and every error names the table and line. Tabs rather than
 * commas, because place names such as "St Helena, Ascension, Tristan da Cunha" hold commas.
 *
 * <p>The tables are built into Wayfinder, so a bad line is a bug in the build: errors are
 * {@link IllegalStateException}s, not the {@code SourceFormatException} an operator's file gets.
 */
final class TabSeparatedResource {
    private final String name;
    private final BufferedReader in;
    private final int columns;
    private int lineNumber;

    TabSeparatedResource(String name, BufferedReader in, String... header) {
        this.name = name;
        this.in = in;
        this.columns = header.length;
        String[] found = next();
        if (found == null || !Arrays.equals(found, header)) {
            throw error("expected the header line " + String.join("<tab>", header));
        }
    }

    /** Opens a resource that sits next to {@code owner}'s class file. */
    static TabSeparatedResource open(Class<?> owner, String resource, String... header) {
        InputStream stream = owner.getResourceAsStream(resource);
        if (stream == null) {
            throw new IllegalStateException("resource " + resource + " is missing from the build");
        }
        return new TabSeparatedResource(resource,
                new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)), header);
    }

    /**
     * The next line's fields, stripped, as many as the header has (trailing empty fields may be left
     * out of the line); null at the end.
     */
    String[] next() {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                if (columns > 0 && fields.length > columns) {
                    throw error("expected at most " + columns + " tab-separated fields, got " + fields.length);
                }
                String[] padded = Arrays.copyOf(fields, Math.max(columns, fields.length));
                for (int i = 0; i < padded.length; i++) {
                    padded[i] = padded[i] == null ? "" : padded[i].strip();
                }
                return padded;
            }
            in.close();
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot be read", e);
        }
    }

    IllegalStateException error(String message) {
        return new IllegalStateException(name + ":" + lineNumber + ": " + message);
    }
}
