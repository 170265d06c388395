package io.wayfinder.source;

import java.io.IOException;
import java.util.List;

/**
 * A data file (geolocation, latency, regions) that cannot be read. Each problem names the file and,
 * for a bad row, the line; a file with several bad rows reports them together (see
 * {@link CsvLines#reject}), and the message is the problems, one per line.
 */
public final class SourceFormatException extends IOException {
    private final List<String> problems;

    public SourceFormatException(String message) {
        this(List.of(message));
    }

    public SourceFormatException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** What is wrong, one entry per bad row (the last may say how many more were left out). */
    public List<String> problems() {
        return problems;
    }
}
