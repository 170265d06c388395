package io.wayfinder.bench;

import com.sun.management.ThreadMXBean;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.latency.LatencyCsvReader;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.LatencyTableBuilder;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * What a reload's table build costs the collector, without the network, the load generator or the
 * other jobs of a shared machine in the figures: reads latency CSVs one after the other as a reload
 * does (reader, builder, build, the distance model's sample), each while the table before it is
 * still alive (it is served until the swap), and prints per build the bytes the thread allocated,
 * the collections and their time (from the collectors' MXBeans), the build's wall and CPU time,
 * and a checksum of everything the table holds (so that a change to the builders shows it gives
 * the same table).
 *
 * <pre>java -XX:InitialRAMPercentage=5 -XX:MaxHeapFreeRatio=100 -Xlog:gc:file=/tmp/gc.log \
 *     -cp bench/target/benchmarks.jar io.wayfinder.bench.ReloadBuildProbe table-1.csv table-2.csv table-1.csv ...</pre>
 */
public final class ReloadBuildProbe {
    /** The sample LoadedSources fits the distance model to. */
    private static final int FIT_SAMPLE = 200_000;

    private ReloadBuildProbe() {
    }

    public static void main(String[] args) throws Exception {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        RegionCatalogue regions = RegionCatalogue.builtIn();
        LatencyTable serving = null;
        for (String file : args) {
            long[] gcBefore = collections();
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            long cpuBefore = threads.getCurrentThreadCpuTime();
            long wallBefore = System.nanoTime();
            LatencyTableBuilder builder = new LatencyTableBuilder().aggregation(new int[] {20, 16}, new int[] {40, 32}, 10);
            new LatencyCsvReader(regions).read(Path.of(file), builder);
            LatencyTable next = builder.build();
            DistanceModel.fit(builder.sample(FIT_SAMPLE), GeoLocator.NONE, regions);
            builder = null;
            long wall = System.nanoTime() - wallBefore;
            long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
            long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            long[] gcAfter = collections();
            System.out.printf(Locale.ROOT, "%s: %d prefixes, wall %d ms, cpu %d ms, allocated %d MiB, "
                            + "collections: %s, checksum %08x%n", file, next.prefixCount(), wall / 1_000_000,
                    cpu / 1_000_000, allocated >> 20, describe(gcBefore, gcAfter), checksum(next));
            serving = next; // the swap: the table before becomes garbage
        }
        if (serving == null) {
            System.out.println("usage: ReloadBuildProbe file.csv...");
        }
    }

    /** Count and total milliseconds of each collector, in MXBean order. */
    private static long[] collections() {
        var beans = ManagementFactory.getGarbageCollectorMXBeans();
        long[] out = new long[beans.size() * 2];
        for (int i = 0; i < beans.size(); i++) {
            out[2 * i] = beans.get(i).getCollectionCount();
            out[2 * i + 1] = beans.get(i).getCollectionTime();
        }
        return out;
    }

    private static String describe(long[] before, long[] after) {
        StringBuilder out = new StringBuilder();
        var beans = ManagementFactory.getGarbageCollectorMXBeans();
        for (int i = 0; i < beans.size(); i++) {
            GarbageCollectorMXBean bean = beans.get(i);
            out.append(out.length() > 0 ? "; " : "").append(bean.getName()).append(' ')
                    .append(after[2 * i] - before[2 * i]).append(" (").append(after[2 * i + 1] - before[2 * i + 1])
                    .append(" ms)");
        }
        return out.toString();
    }

    /** A CRC of every entry's prefix, parent and figures, and of every aggregate block. */
    static long checksum(LatencyTable table) {
        CRC32C crc = new CRC32C();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64);
        crc.update(table.regions().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        b.clear();
        b.putLong(table.totalSamples()).putInt(table.prefixes().intervalCount()).putInt(table.prefixCount());
        crc.update(b.array(), 0, b.position());
        table.prefixes().forEachEntry((entry, ipv6, hi, lo, length) -> {
            b.clear();
            b.putInt(entry).put((byte) (ipv6 ? 1 : 0)).putLong(hi).putLong(lo).put((byte) length).putInt(table.entryParent(entry));
            for (int c = 0; c < table.columnCount(); c++) {
                b.putInt(table.tenths(entry, c)).put((byte) table.sourceLength(entry, c));
            }
            crc.update(b.array(), 0, b.position());
        });
        for (boolean ipv6 : new boolean[] {false, true}) {
            for (LatencyTable.AggregateLevel level : table.levels(ipv6)) {
                b.clear();
                b.putInt(level.length()).putInt(level.blockCount()).putInt(level.blocks().intervalCount());
                crc.update(b.array(), 0, b.position());
                level.blocks().forEachEntry((block, v6, hi, lo, length) -> {
                    b.clear();
                    b.putInt(block).putLong(hi).putLong(lo).put((byte) length);
                    for (int c = 0; c < table.columnCount(); c++) {
                        b.putInt(level.tenths(block, c)).putInt(level.samples(block, c));
                    }
                    crc.update(b.array(), 0, b.position());
                });
            }
        }
        return crc.getValue();
    }
}
