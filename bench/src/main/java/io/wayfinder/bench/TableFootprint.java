package io.wayfinder.bench;

import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.LatencyTableBuilder;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the synthetic latency tables of {@link SyntheticLatencyData} and reports what they cost:
 * time to generate, to add the measurements and to build, and the heap the built
 * {@link LatencyTable} retains (heap used after full GCs with and without it), per prefix.
 * A reflective walk of the table's arrays breaks the figure down and cross-checks it.
 *
 * <pre>java -Xmx12g -cp bench/target/benchmarks.jar io.wayfinder.bench.TableFootprint 1000000 10000000</pre>
 */
public final class TableFootprint {
    private TableFootprint() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            args = new String[] {"1000000", "10000000"};
        }
        System.out.printf(Locale.ROOT, "JVM %s, max heap %d MB, GC %s%n", System.getProperty("java.vm.version"),
                Runtime.getRuntime().maxMemory() >> 20, gcNames());
        for (String arg : args) {
            measure(Integer.parseInt(arg.replace("_", "")));
        }
    }

    private static void measure(int n) throws Exception {
        long before = usedAfterGc();
        resetPeaks();
        long t0 = System.nanoTime();
        SyntheticLatencyData data = SyntheticLatencyData.generate(n, SyntheticLatencyData.SEED);
        long t1 = System.nanoTime();
        LatencyTableBuilder builder = new LatencyTableBuilder().directIndexFrom(SyntheticLatencyData.DIRECT_INDEX_FROM);
        int covering = data.fill(builder);
        long t2 = System.nanoTime();
        LatencyTable table = builder.build();
        long t3 = System.nanoTime();
        long peak = peakSum();
        data = null;
        builder = null;
        long after = usedAfterGc();
        long retained = after - before;
        int entries = table.prefixCount();
        System.out.printf(Locale.ROOT, "%n== %,d /24s + %,d /16s = %,d entries, %d regions%n", n, covering, entries,
                table.columnCount());
        System.out.printf(Locale.ROOT, "time: generate %.2f s, add %.2f s, build() %.2f s; add+build %.2f s%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t3 - t1) / 1e9);
        System.out.printf(Locale.ROOT, "heap retained by the table (MemoryMXBean, after GC): %.1f MB = %.1f B/entry%n",
                retained / 1048576.0, (double) retained / entries);
        System.out.printf(Locale.ROOT, "peak heap while building (sum of pool peaks, includes garbage): %.0f MB%n",
                peak / 1048576.0);
        Map<String, Long> parts = new java.util.LinkedHashMap<>();
        long walked = deepSize(table, "", 0, new IdentityHashMap<>(), parts);
        System.out.printf(Locale.ROOT, "reflective walk (12 B headers, compressed oops): %.1f MB = %.1f B/entry%n",
                walked / 1048576.0, (double) walked / entries);
        parts.forEach((path, bytes) -> {
            if (bytes >= walked / 200) {
                System.out.printf(Locale.ROOT, "  %-44s %8.1f MB %6.1f B/entry%n", path, bytes / 1048576.0,
                        (double) bytes / entries);
            }
        });
        // The direct /24 index's share of build(): built again on its own, best of three.
        long direct = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long d0 = System.nanoTime();
            io.wayfinder.net.PrefixMap withIndex = table.prefixes().withDirectIpv4Index();
            direct = Math.min(direct, System.nanoTime() - d0);
            if (!withIndex.hasDirectIpv4Index()) {
                throw new IllegalStateException("no direct index");
            }
        }
        System.out.printf(Locale.ROOT, "direct /24 index in the table: %s; building it alone: %.3f s (best of 3)%n",
                table.prefixes().hasDirectIpv4Index(), direct / 1e9);
        if (table.prefixCount() < 0) {
            System.out.println(table); // keeps the table strongly reachable until here
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakSum() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static String gcNames() {
        List<String> names = new ArrayList<>();
        ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> names.add(gc.getName()));
        return String.join(", ", names);
    }

    /**
     * The size of everything reachable from {@code o} through Wayfinder objects and arrays, assuming
     * 64-bit HotSpot with compressed oops (12-byte object headers, 16-byte array headers, 8-byte
     * alignment). JDK objects (the region names list) are counted shallow. Records each field's
     * share in {@code parts}, four levels deep (the
     * aggregate levels' fields summed over levels).
     */
    private static long deepSize(Object o, String path, int depth, IdentityHashMap<Object, Boolean> seen,
                                 Map<String, Long> parts) throws IllegalAccessException {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return 0;
        }
        Class<?> c = o.getClass();
        if (c.isArray()) {
            Class<?> component = c.getComponentType();
            int length = Array.getLength(o);
            long size = align(16 + (long) length * slot(component));
            if (!component.isPrimitive()) {
                for (int i = 0; i < length; i++) {
                    size += deepSize(Array.get(o, i), path + "[]", depth + 1, seen, parts);
                }
            }
            return size;
        }
        long size = 12;
        boolean ours = c.getName().startsWith("io.wayfinder.");
        List<Field> fields = new ArrayList<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    fields.add(f);
                    size += slot(f.getType());
                }
            }
        }
        size = align(size);
        if (!ours) {
            return size;
        }
        for (Field f : fields) {
            if (f.getType().isPrimitive()) {
                continue;
            }
            f.setAccessible(true);
            String fieldPath = path.isEmpty() ? f.getName() : path + "." + f.getName();
            long child = deepSize(f.get(o), fieldPath, depth + 1, seen, parts);
            if (depth < 4 && child > 0) {
                parts.merge(fieldPath, child, Long::sum);
            }
            size += child;
        }
        return size;
    }

    private static int slot(Class<?> type) {
        if (type == long.class || type == double.class) {
            return 8;
        }
        if (type == int.class || type == float.class) {
            return 4;
        }
        if (type == short.class || type == char.class) {
            return 2;
        }
        if (type == byte.class || type == boolean.class) {
            return 1;
        }
        return 4; // compressed oop
    }

    private static long align(long size) {
        return (size + 7) & ~7L;
    }
}
