package io.wayfinder.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a UTF-8 file as bytes in a reused buffer, for readers of millions of rows that parse
 * the common row in place: no {@code String} per line, so a table reload makes next to no garbage
 * for the collector to chase while queries are answered. Lines end as
 * {@link java.io.BufferedReader#readLine} ends them ({@code \n}, {@code \r} or {@code \r\n}), and
 * {@link #readLine} gives the same text it gives (malformed UTF-8 is an error, as there): a reader
 * can hand any line it does not parse itself to {@link CsvLines} ({@code new CsvLines(file, lines::readLine)}),
 * after {@link #keep} so that the line is read again. Not thread-safe.
 */
public final class ByteLines {
    /**
     * The longest line read: far beyond any row of a data file, and a bound on the buffer, so that a
     * file that is not one (a binary replaced under the path, a file without line ends) fails with
     * an error instead of growing the buffer until the heap runs out.
     */
    public static final int MAX_LINE_BYTES = 1 << 20;

    private final InputStream in;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
    /** Bytes read and not yet consumed: {@code buffer[position, limit)}; the current line is {@code [start, end)}. */
    private byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    /** Bytes read and dropped from the front of the buffer so far: {@code dropped + position} have been consumed. */
    private long dropped;
    private int start;
    private int end;
    private boolean endOfInput;
    /** The last line ended with {@code \r} at the end of the buffer: a {@code \n} first is part of that ending. */
    private boolean skipLineFeed;
    /** {@link #keep} was called: the next {@link #readLine} returns the current line. */
    private boolean kept;

    public ByteLines(InputStream in) {
        this.in = in;
    }

    /** Moves to the next line; false at the end of the input. */
    public boolean advance() throws IOException {
        kept = false;
        if (skipLineFeed) {
            if (position == limit) {
                fill();
            }
            if (position < limit && buffer[position] == '\n') {
                position++;
            }
            skipLineFeed = false;
        }
        int i = position;
        while (true) {
            while (i < limit && buffer[i] != '\n' && buffer[i] != '\r') {
                i++;
            }
            if (i < limit) {
                start = position;
                end = i;
                position = i + 1;
                if (buffer[i] == '\r') {
                    if (position < limit) {
                        if (buffer[position] == '\n') {
                            position++;
                        }
                    } else {
                        skipLineFeed = true;
                    }
                }
                return true;
            }
            if (endOfInput) {
                if (position == limit) {
                    return false;
                }
                start = position;
                end = limit;
                position = limit;
                return true;
            }
            int scanned = i - position;
            fill();
            i = position + scanned;
        }
    }

    /** Reads more input behind what is unread, moving that to the front of the buffer (which grows if it is full). */
    private void fill() throws IOException {
        if (position > 0) {
            dropped += position;
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        if (limit == buffer.length) {
            if (buffer.length >= MAX_LINE_BYTES) {
                throw new IOException("a line longer than " + MAX_LINE_BYTES + " bytes starts at byte " + dropped
                        + ": not a data file of lines");
            }
            buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_LINE_BYTES));
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            endOfInput = true;
        } else {
            limit += n;
        }
    }

    /** The buffer that holds the current line (valid until the next {@link #advance}). */
    public byte[] bytes() {
        return buffer;
    }

    /** Where the current line starts in {@link #bytes()}. */
    public int start() {
        return start;
    }

    /** Where the current line ends in {@link #bytes()}, its line ending excluded. */
    public int end() {
        return end;
    }

    /** How many bytes the lines so far took, their line endings included. */
    public long consumed() {
        return dropped + position;
    }

    /** Makes the next {@link #readLine} return the current line. */
    public void keep() {
        kept = true;
    }

    /** The next line (or the current one, after {@link #keep}) as text, as {@code BufferedReader} reads it; null at the end. */
    public String readLine() throws IOException {
        if (!kept && !advance()) {
            return null;
        }
        kept = false;
        return utf8.reset().decode(ByteBuffer.wrap(buffer, start, end - start)).toString();
    }
}
