package io.wayfinder.latency;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.source.SourceFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader's in-place parsing of common rows and the builder's primitive prefix numbering (issue
 * 13) give exactly the table, the samples and the errors that the reader and builder before them
 * gave ({@link ReferenceLatencyCsvReader}, {@link ReferenceLatencyTableBuilder}), on random files
 * that mix common rows with every other spelling the general path accepts, and with bad rows.
 */
class LatencyBuildEquivalenceTest {
    private static final RegionCatalogue REGIONS = RegionCatalogue.builtIn();
    private static final String[] REGION_SPELLINGS = {"westeurope", "northeurope", "eastus", "southeastasia",
        "WestEurope", " eastus ", "West Europe", "uksouth", "japaneast", "\u2003eastus"};
    private static final String[] RTT_SPELLINGS = {"12", "12.5", "0.05", "1e2", "12.", ".5", "0012.30", "59999.9",
        "60000", "0", "0.0", "1.23456789012345678", " 7.5"};
    private static final String[] SAMPLE_SPELLINGS = {"100", "1", "007", "3.0", "999999999", "2147483647", " 4"};
    private static final String[] BAD_ROWS = {"1.2.3.4/24,westeurope,5", "1.2.3.0/24,atlantis,5", "1.2.3.0/24,eastus,60001",
        "1.2.3.0/24,eastus,-1", "1.2.3.0/24,eastus,5,0", "1.2.3.0/24,eastus,5,1.5", "1.2.3.0,eastus,5",
        "1.2.3.0/33,eastus,5", "256.2.3.0/24,eastus,5", "1.2.3.0/24,eastus", "1.2.3.0/24,eastus,5,1,1",
        "1.2.3.0/24,eastus,x", "01.2.3.0/24,eastus,5", "1.2.3.0/24,eastus,123456789.123"};

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void theReaderAndBuilderGiveTheTableTheyGaveBefore(long seed) throws IOException {
        Random random = new Random(seed);
        boolean withBadRows = seed % 4 == 0;
        Path file = dir.resolve("latency-" + seed + ".csv");
        Files.writeString(file, randomCsv(random, 2000 + random.nextInt(3000), withBadRows));
        boolean custom = seed % 3 == 0;
        int[] v4 = custom ? new int[] {24, 20, 8} : new int[] {20, 16};
        int[] v6 = custom ? new int[] {48} : new int[] {40, 32};
        int minSamples = custom ? 3 : 10;

        LatencyTableBuilder now = new LatencyTableBuilder().aggregation(v4, v6, minSamples);
        ReferenceLatencyTableBuilder before = new ReferenceLatencyTableBuilder().aggregation(v4, v6, minSamples);
        String nowRead = read(() -> new LatencyCsvReader(REGIONS).read(file, now));
        String beforeRead = read(() -> new ReferenceLatencyCsvReader(REGIONS).read(file, before));

        assertThat(nowRead).isEqualTo(beforeRead);
        if (withBadRows) {
            assertThat(nowRead).doesNotStartWith("rows");
            return;
        }
        assertThat(now.prefixCount()).isEqualTo(before.prefixCount());
        assertThat(samples(now.sample(500))).isEqualTo(samples(before.sample(500)));
        assertThat(dump(now.build())).isEqualTo(dump(before.build()));
    }

    @Test
    void malformedUtf8IsTheSameErrorAsBefore() throws IOException {
        Path file = dir.resolve("malformed.csv");
        byte[] bad = "prefix,region,rtt_ms\n10.0.0.0/24,westeurope,5\n10.0.1.0/24,west\u00ffeurope,5\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(file, bad);

        Class<?> now = thrown(() -> new LatencyCsvReader(REGIONS).read(file, new LatencyTableBuilder()));
        Class<?> before = thrown(() -> new ReferenceLatencyCsvReader(REGIONS).read(file, new ReferenceLatencyTableBuilder()));

        assertThat(now).isEqualTo(before).isEqualTo(java.nio.charset.MalformedInputException.class);
    }

    private static Class<?> thrown(Read read) {
        try {
            read.run();
            return null;
        } catch (IOException e) {
            return e.getClass();
        }
    }

    private interface Read {
        int run() throws IOException;
    }

    /** The rows read, or every problem reported. */
    private static String read(Read read) throws IOException {
        try {
            return "rows " + read.run();
        } catch (SourceFormatException e) {
            return String.join("\n", e.problems());
        }
    }

    private static List<String> samples(List<?> measurements) {
        List<String> out = new ArrayList<>();
        for (Object m : measurements) {
            out.add(m.toString().replaceAll("^\\w+\\[", "["));
        }
        return out;
    }

    private static String randomCsv(Random random, int rows, boolean withBadRows) {
        StringBuilder out = new StringBuilder("# random\nprefix,region,rtt_ms,samples\n");
        List<String> prefixes = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String prefix;
            if (!prefixes.isEmpty() && random.nextInt(3) == 0) {
                prefix = prefixes.get(random.nextInt(prefixes.size())); // the same prefix again
            } else {
                prefix = randomPrefix(random);
                prefixes.add(prefix);
            }
            String region = random.nextInt(4) > 0 ? REGION_SPELLINGS[random.nextInt(4)]
                    : REGION_SPELLINGS[random.nextInt(REGION_SPELLINGS.length)];
            String rtt = random.nextInt(3) > 0 ? String.format(java.util.Locale.ROOT, "%.1f", random.nextDouble() * 300)
                    : RTT_SPELLINGS[random.nextInt(RTT_SPELLINGS.length)];
            int samplesKind = random.nextInt(4);
            String samples = samplesKind == 0 ? "" : samplesKind == 1 ? "," + SAMPLE_SPELLINGS[random.nextInt(SAMPLE_SPELLINGS.length)]
                    : "," + (1 + random.nextInt(200));
            out.append(prefix).append(',').append(region).append(',').append(rtt).append(samples)
                    .append(random.nextInt(50) == 0 ? "\r\n" : random.nextInt(50) == 0 ? "\r" : "\n");
            if (random.nextInt(100) == 0) {
                out.append(random.nextBoolean() ? "\n" : random.nextBoolean() ? "  # a comment\n" : "# mesuré à Zürich\r\n");
            }
            if (withBadRows && random.nextInt(200) == 0) {
                out.append(BAD_ROWS[random.nextInt(BAD_ROWS.length)]).append('\n');
            }
        }
        if (random.nextBoolean()) {
            out.setLength(out.length() - 1); // the last line without its line ending
        }
        return out.toString();
    }

    /** Mostly /24s in a few /8s (so that blocks aggregate), some other lengths, some IPv6. */
    private static String randomPrefix(Random random) {
        int kind = random.nextInt(20);
        if (kind == 0) {
            int length = 16 + random.nextInt(49);
            long hi = 0x2001_0db8_0000_0000L | (random.nextLong() & 0x0000_0000_FFFF_FFFFL);
            long masked = hi & (length >= 64 ? -1L : -1L << (64 - length));
            return String.format("%x:%x:%x:%x::/%d", masked >>> 48, (masked >>> 32) & 0xFFFF, (masked >>> 16) & 0xFFFF,
                    masked & 0xFFFF, length);
        }
        int length = kind == 1 ? 8 + random.nextInt(25) : kind == 2 ? 16 : 24;
        int address = (10 + random.nextInt(4)) << 24 | random.nextInt(1 << 24);
        int masked = length == 0 ? 0 : address & (-1 << (32 - length));
        return (masked >>> 24) + "." + ((masked >>> 16) & 0xFF) + "." + ((masked >>> 8) & 0xFF) + "." + (masked & 0xFF)
                + "/" + length;
    }

    /** Everything a table holds, entry by entry and level by level. */
    private static List<String> dump(LatencyTable table) {
        List<String> out = new ArrayList<>();
        out.add("regions " + table.regions() + ", samples " + table.totalSamples() + ", intervals "
                + table.prefixes().intervalCount());
        table.prefixes().forEachEntry((entry, ipv6, hi, lo, length) -> {
            StringBuilder row = new StringBuilder(entry + " " + ipv6 + " " + hi + " " + lo + "/" + length + " parent "
                    + table.entryParent(entry) + ":");
            for (int c = 0; c < table.columnCount(); c++) {
                row.append(' ').append(table.tenths(entry, c)).append('@').append(table.sourceLength(entry, c));
            }
            out.add(row.toString());
        });
        for (boolean ipv6 : new boolean[] {false, true}) {
            for (LatencyTable.AggregateLevel level : table.levels(ipv6)) {
                out.add("level " + ipv6 + " /" + level.length() + ": " + level.blockCount() + " blocks, "
                        + level.blocks().intervalCount() + " intervals");
                level.blocks().forEachEntry((block, v6, hi, lo, length) -> {
                    StringBuilder row = new StringBuilder(block + " " + hi + " " + lo + "/" + length + ":");
                    for (int c = 0; c < table.columnCount(); c++) {
                        row.append(' ').append(level.tenths(block, c)).append('x').append(level.samples(block, c));
                    }
                    out.add(row.toString());
                });
            }
        }
        return out;
    }
}
