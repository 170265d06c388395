package io.wayfinder.bench;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.PrefixMap;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link PrefixMap#lookupIpv4} on the synthetic table's prefixes (the /24s and /16s, without the
 * latency figures), against two layouts of the same flattened intervals that it could adopt:
 * a wider first-level index ({@code indexBits} 20 or 24 instead of 16), and starts and entries
 * packed into one {@code long[]} so that the entry read hits the cache line the search ended on.
 *
 * <p>An experiment for a proposal, not a structure of the server: the alternatives read
 * {@code PrefixMap}'s private arrays by reflection and search them with the same loop. Addresses
 * are plain ints (the client mix of {@link SyntheticLatencyData}), so only the LPM is timed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Xms2g"})
@State(Scope.Benchmark)
public class PrefixMapLayoutBenchmark {

    @Param({"1000000", "10000000"})
    public int prefixes;

    @Param({"16", "20", "24"})
    public int indexBits;

    PrefixMap map;
    int[] starts;
    int[] entries;
    long[] packed;
    int[] index;
    int[] addresses;

    @Setup(Level.Trial)
    public void build() throws ReflectiveOperationException {
        SyntheticLatencyData data = SyntheticLatencyData.generate(prefixes, SyntheticLatencyData.SEED);
        PrefixMap.Builder builder = new PrefixMap.Builder().withoutPrefixObjects();
        for (IpPrefix p : data.tablePrefixes()) {
            builder.add(p);
        }
        for (int b = 0; b < 1 << 16; b++) {
            if (b % 10 == 0 && (b >>> 8 < SyntheticLatencyData.FIRST_UNMEASURED_OCTET
                    || b >>> 8 > SyntheticLatencyData.LAST_UNMEASURED_OCTET)) {
                builder.add(IpPrefix.ofIpv4(b << 16, 16)); // covering /16s, as many as the table has
            }
        }
        map = builder.build();
        starts = (int[]) field("v4Starts").get(map);
        entries = (int[]) field("v4Entries").get(map);
        packed = new long[starts.length];
        for (int i = 0; i < starts.length; i++) {
            packed[i] = (long) starts[i] << 32 | (entries[i] & 0xFFFF_FFFFL);
        }
        index = index(starts, indexBits);
        addresses = data.clientAddresses(SyntheticLatencyData.CLIENTS, SyntheticLatencyData.SEED + 1);
        for (int i = 0; i < 1000; i++) {
            int a = addresses[i] | (i & 0xFF);
            if (separate(a) != map.lookupIpv4(a) || packed(a) != map.lookupIpv4(a)) {
                throw new IllegalStateException("layouts disagree at " + a);
            }
        }
        System.out.printf("%n[setup] %d intervals, index %d bits = %.1f MB%n", starts.length, indexBits,
                index.length * 4 / 1048576.0);
    }

    private static Field field(String name) throws NoSuchFieldException {
        Field f = PrefixMap.class.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** index[t]: the interval holding the first address of block t (top {@code bits} bits = t). */
    static int[] index(int[] starts, int bits) {
        int size = 1 << bits;
        int[] index = new int[size + 1];
        int interval = 0;
        for (int t = 0; t < size; t++) {
            int blockStart = (int) ((long) t << (32 - bits)) ^ Integer.MIN_VALUE;
            while (interval + 1 < starts.length && starts[interval + 1] <= blockStart) {
                interval++;
            }
            index[t] = interval;
        }
        index[size] = starts.length - 1;
        return index;
    }

    int separate(int address) {
        int key = address ^ Integer.MIN_VALUE;
        int top = address >>> (32 - indexBits);
        int low = index[top];
        int high = index[top + 1];
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (starts[mid] <= key) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return entries[low];
    }

    int packed(int address) {
        int key = address ^ Integer.MIN_VALUE;
        int top = address >>> (32 - indexBits);
        int low = index[top];
        int high = index[top + 1];
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if ((int) (packed[mid] >> 32) <= key) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return (int) packed[low];
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;

        int next(int[] addresses) {
            int i = next;
            next = i + 1 == addresses.length ? 0 : i + 1;
            return addresses[i] | (i & 0xFF); // any host in the client /24
        }
    }

    /** The map as it is (its own 16-bit index; {@code indexBits} does not apply). */
    @Benchmark
    public int prefixMap(Cursor cursor) {
        return map.lookupIpv4(cursor.next(addresses));
    }

    @Benchmark
    public int separateArrays(Cursor cursor) {
        return separate(cursor.next(addresses));
    }

    @Benchmark
    public int packedArray(Cursor cursor) {
        return packed(cursor.next(addresses));
    }
}
