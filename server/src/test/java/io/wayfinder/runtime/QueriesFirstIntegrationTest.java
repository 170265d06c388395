package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.time.CpuYield;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * A running server registers its answers with {@link CpuYield#giveWayTo}, so that the builds
 * beside it (reloads, the learner's rebuilds) pause while it answers queries; without the
 * registration they would never pause, and nothing else would show it.
 */
class QueriesFirstIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void theBuildsWatchTheServersAnswers() throws Exception {
        try (TestDeployment deployment = TestDeployment.start(dir)) {
            long before = CpuYield.watchedAnswers();
            assertThat(deployment.ask("www.app.test", Type.A, "81.2.69.0/24", false).getRcode()).isEqualTo(Rcode.NOERROR);
            // The count is added once the answer is sent, possibly a moment after the client has it.
            for (int i = 0; i < 200 && CpuYield.watchedAnswers() <= before; i++) {
                Thread.sleep(10);
            }
            assertThat(CpuYield.watchedAnswers()).as("the answer is among what the pauses watch").isGreaterThan(before);
        }
    }
}
