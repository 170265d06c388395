package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The warm-up loads every adder and accumulator class: checked in a JVM of its own, whose class
 * loading log shows what it loaded (this one has loaded them long ago, for Jetty and Prometheus).
 */
class ClassHierarchyWarmupTest {
    /** The child JVM: the warm-up and nothing else. */
    public static final class WarmupOnly {
        public static void main(String[] args) {
            ClassHierarchyWarmup.loadClasses();
        }
    }

    @Test
    void aJvmThatRunsTheWarmupHasLoadedEveryAdderAndAccumulator() throws Exception {
        String log = classLoadLog(WarmupOnly.class.getName());

        for (String c : new String[] {"LongAdder", "DoubleAdder", "LongAccumulator", "DoubleAccumulator"}) {
            assertThat(log).as(c).contains(" java.util.concurrent.atomic." + c + " ");
        }
    }

    @Test
    void aJvmThatDoesNotRunItHasNotLoadedThemOnItsOwn() throws Exception {
        // What makes the warm-up necessary: the JVM does not load DoubleAdder at start-up by itself.
        String log = classLoadLog(Idle.class.getName());

        assertThat(log).contains(" " + Idle.class.getName() + " ").doesNotContain("java.util.concurrent.atomic.DoubleAdder ");
    }

    /** A child JVM that loads nothing of its own. */
    public static final class Idle {
        public static void main(String[] args) {
        }
    }

    private static String classLoadLog(String mainClass) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xlog:class+load=info:stdout",
                "-cp", System.getProperty("java.class.path"), mainClass)
                .redirectErrorStream(true)
                .start();
        byte[] out = child.getInputStream().readAllBytes();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
