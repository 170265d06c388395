package io.wayfinder.runtime;

import io.wayfinder.control.FakeLearning;
import io.wayfinder.control.LatencyLearningService;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.net.IpPrefix;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A server with latency learning that is killed: {@code LearningChild DIR ROUND ACKS fake|real}
 * starts a real Wayfinder with {@code latency.learn} on DIR (rebuilt every second; the learner, the
 * tests' {@code FakeLearning} or Wayfinder's own, restored from the checkpoint there), says how
 * many samples it restored (fake only), then adds batches of {@value #BATCH} samples until it is
 * killed, appending {@code added I MILLIS} to ACKS after each batch is taken. With the fake learner
 * a sample of batch I of round R has the time {@link #time}(R, I); with the real one, batch I is
 * of the network {@link #network}(I), measured now.
 */
public final class LearningChild {
    static final int BATCH = 100;
    static final String CONFIG = """
            dns:
              listen: ["127.0.0.1:0"]
            api:
              listen: "127.0.0.1:0"
              tokens: [{name: ci, token: writer-token-0123456789abcdef, role: writer}]
            zones: [{name: app.test, nameservers: [ns1.app.test]}]
            latency:
              learn: true
              rebuildInterval: 1s
            storage:
              dir: .
            """;

    private LearningChild() {
    }

    /** The network of batch I with the real learner: 10.x.y.0/24, one per batch. */
    static IpPrefix network(int batch) {
        return IpPrefix.ofIpv4(10 << 24 | batch << 8, 24);
    }

    static long time(int round, long batch) {
        return round * 100_000_000L + batch;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int round = Integer.parseInt(args[1]);
        Path config = dir.resolve("wayfinder.yaml");
        Files.writeString(config, CONFIG);
        boolean fake = args[3].equals("fake");
        WayfinderServer server = WayfinderServer.start(config, new WayfinderServer.Options(List.of(), 1, 0)
                .withLearners(fake ? FakeLearning.learners() : LatencyLearningService.Learners.LEARNED));
        LatencyLearningService learning = server.learning();
        try (FileOutputStream acks = new FileOutputStream(args[2], true)) {
            if (fake) {
                long restored = learning.coverage().regions().stream().mapToLong(r -> r.samples()).sum();
                write(acks, "restored " + restored);
            }
            for (int i = 0; ; i++) {
                List<Measurement> batch = new ArrayList<>(BATCH);
                for (int k = 0; k < BATCH; k++) {
                    batch.add(fake ? new Measurement(IpPrefix.parse("81.2.69.0/24"), "westeurope", 1 + k, time(round, i), "test")
                            : new Measurement(network(i), "westeurope", 20 + k % 5, System.currentTimeMillis(), "test"));
                }
                learning.add(batch);
                write(acks, "added " + i + " " + System.currentTimeMillis());
                Thread.sleep(2);
            }
        }
    }

    /** One write call per line, so that a kill leaves whole lines. */
    private static void write(FileOutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
