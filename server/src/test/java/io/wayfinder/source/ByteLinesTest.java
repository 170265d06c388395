package io.wayfinder.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ByteLines} splits lines as {@link BufferedReader#readLine} does, wherever reads end. */
class ByteLinesTest {
    private static final String[] PIECES = {"a", "10.0.0.0/24,westeurope,5", "\r", "\n", "\r\n", "\n\r", "é", "€",
        " ", "#", ",", "\r\r", "\n\n"};

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 100_000})
    void givesTheLinesBufferedReaderGives(int bytesPerRead) throws IOException {
        Random random = new Random(bytesPerRead);
        for (int file = 0; file < 200; file++) {
            StringBuilder text = new StringBuilder();
            int pieces = random.nextInt(40);
            for (int i = 0; i < pieces; i++) {
                text.append(PIECES[random.nextInt(PIECES.length)]);
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);

            assertThat(viaByteLines(bytes, bytesPerRead)).as("%s", text).isEqualTo(viaBufferedReader(bytes));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 100_000})
    void aLineLongerThanTheBufferIsWhole(int bytesPerRead) throws IOException {
        String longLine = "x".repeat(200_000);
        byte[] bytes = ("first\r" + longLine + "\r\nlast").getBytes(StandardCharsets.US_ASCII);

        assertThat(viaByteLines(bytes, bytesPerRead)).containsExactly("first", longLine, "last");
    }

    private static List<String> viaByteLines(byte[] bytes, int bytesPerRead) throws IOException {
        ByteLines lines = new ByteLines(new Trickle(bytes, bytesPerRead));
        List<String> out = new ArrayList<>();
        int k = 0;
        // Alternate the two ways of reading: advance() + keep() + readLine(), and readLine() alone.
        while (true) {
            String line;
            if (k++ % 2 == 0) {
                if (!lines.advance()) {
                    break;
                }
                lines.keep();
                line = lines.readLine();
            } else {
                line = lines.readLine();
                if (line == null) {
                    break;
                }
            }
            out.add(line);
        }
        return out;
    }

    private static List<String> viaBufferedReader(byte[] bytes) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            out.add(line);
        }
        return out;
    }

    /** Gives at most {@code n} bytes per read, so that lines and line endings straddle reads. */
    private static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;
        private final int n;

        Trickle(byte[] bytes, int n) {
            this.in = new ByteArrayInputStream(bytes);
            this.n = n;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, n));
        }
    }

    @Test
    void aLineOverTheLimitIsAnErrorNotAnEverGrowingBuffer() throws IOException {
        byte[] endless = new byte[ByteLines.MAX_LINE_BYTES + 10];
        java.util.Arrays.fill(endless, (byte) 'x');
        byte[] file = ("10.0.0.0/24,westeurope,5\n" + new String(endless, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        ByteLines lines = new ByteLines(new ByteArrayInputStream(file));
        assertThat(lines.advance()).isTrue();
        assertThatThrownBy(lines::advance).isInstanceOf(IOException.class)
                .hasMessageContaining("longer than " + ByteLines.MAX_LINE_BYTES + " bytes starts at byte 25");
    }

    @Test
    void aLineJustUnderTheLimitIsRead() throws IOException {
        byte[] longest = new byte[ByteLines.MAX_LINE_BYTES - 1];
        java.util.Arrays.fill(longest, (byte) 'x');
        ByteLines lines = new ByteLines(new ByteArrayInputStream(longest));
        assertThat(lines.readLine()).hasSize(ByteLines.MAX_LINE_BYTES - 1);
        assertThat(lines.readLine()).isNull();
    }
}
