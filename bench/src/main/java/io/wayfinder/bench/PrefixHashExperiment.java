package io.wayfinder.bench;

import io.wayfinder.net.IpPrefix;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Why {@code LatencyTableBuilder} was slow on big tables: it keys {@code HashMap}s by
 * {@link IpPrefix}, whose record {@code hashCode} was {@code 31·address + const} for IPv4 (it now
 * mixes its bits, as {@link MixedKey} here; {@link RecordKey} keeps the old hash). A /L prefix
 * has its low 32-L address bits zero, so the hash's low bits are constant and HashMap's
 * {@code h ^ h>>>16} spread cannot fill the table: buckets collide and turn into trees.
 *
 * <p>For the synthetic table's /24s and the aggregation blocks (/20, /16, /12, /8) this prints how
 * many HashMap buckets the keys really occupy, the largest bucket, and the time of {@code n} puts
 * and {@code n} gets with the record hash against the same prefixes behind a key with a mixed hash
 * (SplitMix64 of the fields). Build-path figures (seconds), so a plain main, best of three.
 *
 * <pre>java -Xmx12g -cp bench/target/benchmarks.jar io.wayfinder.bench.PrefixHashExperiment 1000000 10000000</pre>
 */
public final class PrefixHashExperiment {
    private PrefixHashExperiment() {
    }

    /** The prefix with the hash a record of its four fields gets by default, as IpPrefix had before. */
    record RecordKey(IpPrefix prefix) {
        @Override
        public int hashCode() {
            return ((Boolean.hashCode(prefix.ipv6()) * 31 + Long.hashCode(prefix.hi())) * 31
                    + Long.hashCode(prefix.lo())) * 31 + prefix.length();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RecordKey k && k.prefix.equals(prefix);
        }
    }

    /** The fix: the same prefix with IpPrefix's own hash, which mixes every field bit. */
    record MixedKey(IpPrefix prefix) {
        @Override
        public int hashCode() {
            return prefix.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MixedKey k && k.prefix.equals(prefix);
        }
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            args = new String[] {"1000000", "10000000"};
        }
        for (String arg : args) {
            int n = Integer.parseInt(arg.replace("_", ""));
            SyntheticLatencyData data = SyntheticLatencyData.generate(n, SyntheticLatencyData.SEED);
            IpPrefix[] slash24s = data.tablePrefixes();
            System.out.printf(Locale.ROOT, "%n== %,d table /24s%n", n);
            System.out.printf(Locale.ROOT, "%-6s %10s %10s %12s %11s %10s %10s%n", "keys", "distinct", "buckets",
                    "occupied", "max bucket", "record ms", "mixed ms");
            for (int length : new int[] {24, 20, 16, 12, 8}) {
                Set<IpPrefix> distinct = new HashSet<>();
                for (IpPrefix p : slash24s) {
                    distinct.add(p.truncate(length));
                }
                IpPrefix[] keys = distinct.toArray(new IpPrefix[0]);
                distinct = null;
                // A set's order follows its hash; shuffle so neither variant gets its buckets in order.
                java.util.SplittableRandom random = new java.util.SplittableRandom(length);
                for (int i = keys.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    IpPrefix t = keys[i];
                    keys[i] = keys[j];
                    keys[j] = t;
                }
                int capacity = tableSizeFor((int) Math.ceil(keys.length / 0.75));
                int[] occupancy = new int[capacity];
                int occupied = 0;
                int max = 0;
                for (IpPrefix k : keys) {
                    int h = k.hashCode();
                    int bucket = (h ^ (h >>> 16)) & (capacity - 1);
                    if (occupancy[bucket]++ == 0) {
                        occupied++;
                    }
                    max = Math.max(max, occupancy[bucket]);
                }
                RecordKey[] plain = new RecordKey[keys.length];
                MixedKey[] mixed = new MixedKey[keys.length];
                for (int i = 0; i < keys.length; i++) {
                    plain[i] = new RecordKey(keys[i]);
                    mixed[i] = new MixedKey(keys[i]);
                }
                double recordMs = best(() -> putsAndGets(plain));
                double mixedMs = best(() -> putsAndGets(mixed));
                System.out.printf(Locale.ROOT, "/%-5d %,10d %,10d %,11d %11d %10.0f %10.0f%n", length, keys.length,
                        capacity, occupied, max, recordMs, mixedMs);
            }
        }
    }

    private static <K> long putsAndGets(K[] keys) {
        Map<K, Integer> map = new HashMap<>();
        for (int i = 0; i < keys.length; i++) {
            map.put(keys[i], i);
        }
        long sum = 0;
        for (K k : keys) {
            sum += map.get(k);
        }
        return sum;
    }

    private interface Run {
        long run();
    }

    private static double best(Run run) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            if (run.run() == Long.MIN_VALUE) {
                System.out.println();
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e6);
        }
        return best;
    }

    private static int tableSizeFor(int c) {
        int n = -1 >>> Integer.numberOfLeadingZeros(c - 1);
        return n < 0 ? 1 : n + 1;
    }
}
