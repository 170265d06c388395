package io.wayfinder.runtime;

import java.util.List;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Loads, before anything is served, the JDK classes whose first load later would throw away the
 * query path's compiled code.
 *
 * <p>The JIT compiles a call on the assumption that the classes loaded so far are all there are
 * (class hierarchy analysis) and discards the compiled code when a class that breaks it is loaded.
 * The answer path counts in {@link LongAdder}s, and while LongAdder was the only loaded subclass of
 * its base class ({@code Striped64}), the compiled event loop relied on it. The first
 * {@link DoubleAdder} is a Prometheus counter's: the JVM metrics' allocation counter
 * (jvm_memory_pool_allocated_bytes_total) gets its first values from the first collection after
 * start-up, which is the first reload's (JFR jdk.ClassLoad, on the Notification Thread; Jetty's
 * statistics use the accumulators). Then, under load, the six compiled methods of the
 * UDP read path that held the adder's code (Netty's fireChannelRead down to
 * ServerStats.recordAnswer) were made not entrant at once and compiled again while the reload's
 * build ran (-XX:+LogCompilation during bench/reload: "dependency_failed
 * abstract_with_unique_concrete_subtype Striped64 ... witness DoubleAdder", 2026-12-07; the one
 * such failure after start-up). Loaded first, the assumption is never made.
 */
public final class ClassHierarchyWarmup {
    /** Every public subclass of {@code Striped64}: the adders and accumulators. */
    private static final List<Class<?>> CLASSES = List.of(LongAdder.class, DoubleAdder.class, LongAccumulator.class,
            DoubleAccumulator.class);

    private ClassHierarchyWarmup() {
    }

    /** Loads and initialises the adders and accumulators; a few microseconds, once. */
    public static void loadClasses() {
        for (Class<?> c : CLASSES) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("a JDK class is missing: " + c.getName(), e);
            }
        }
    }
}
