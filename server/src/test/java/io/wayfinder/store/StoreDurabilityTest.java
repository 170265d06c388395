package io.wayfinder.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} at a random moment never damages the store nor loses an acknowledged write: a
 * child JVM writes in a loop and is killed, the store is reopened and compared with what was
 * acknowledged (see {@link DurabilityCheck}). A few rounds on one store, each recovering from the
 * kill before; the long run is {@code bench/durability/run.sh}.
 */
class StoreDurabilityTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesAKillAtARandomMoment() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long acknowledged = 0;
        // The first round is killed while the JVM starts or the store opens; the others while writing.
        long[] delays = {random.nextInt(400), 1200 + random.nextInt(800), 1200 + random.nextInt(800), 1200 + random.nextInt(800)};
        for (long delay : delays) {
            DurabilityCheck.Round r = DurabilityCheck.round(dir, delay);
            assertThat(r.problems()).as("seed %d, killed after %d ms: %s", seed, delay, r).isEmpty();
            acknowledged += r.acknowledgedThisRound();
        }
        assertThat(acknowledged).as("the writers got to write before they were killed (seed %d)", seed).isPositive();
    }
}
