package io.wayfinder.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Kills a process that writes to the store ({@link DurabilityWriter}) with {@code kill -9} at a
 * random moment, reopens the store and checks that it is whole and that every acknowledged write
 * is in it, and nothing else: revision R holds exactly writes 1..R, R is the last acknowledged
 * write or the one after it (written, but killed before it said so), each profile holds its last
 * write at or below R, and there is one audit row per write. The suite runs a few rounds
 * ({@code StoreDurabilityTest}); {@code bench/durability/run.sh} runs this class's {@code main}
 * for as many as it is asked.
 */
public final class DurabilityCheck {
    /** One round: how long the writer ran before the kill, what it had acknowledged, what the store held. */
    record Round(long killAfterMillis, long before, long lastAck, long revision, int acknowledgedThisRound,
                 List<String> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private DurabilityCheck() {
    }

    /**
     * Starts a writer on the store in {@code dir}, kills it ({@code SIGKILL}) {@code killAfterMillis}
     * after it started (it may not have opened the store yet), and checks the store.
     */
    static Round round(Path dir, long killAfterMillis) throws IOException, InterruptedException {
        long before;
        try (SqliteProfileStore store = SqliteProfileStore.open(dir, Clock.systemUTC())) {
            before = store.contents().revision();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path acks = Files.createTempFile("wayfinder-acks", ".txt");
        Path output = Files.createTempFile("wayfinder-writer", ".log");
        List<String> problems = new ArrayList<>();
        long lastAck = before;
        try {
            Process child = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"), DurabilityWriter.class.getName(), dir.toString(),
                    acks.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            Thread.sleep(killAfterMillis);
            child.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no close
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                problems.add("the writer did not die within 60 s of SIGKILL");
            }
            for (String line : Files.readAllLines(acks, StandardCharsets.US_ASCII)) {
                if (line.startsWith("ack ")) {
                    lastAck = Long.parseLong(line.substring(4));
                } else if (!line.startsWith("open ")) {
                    problems.add("unexpected acknowledgement line: " + line);
                }
            }
            String said = Files.readString(output, StandardCharsets.UTF_8).strip();
            if (!said.isEmpty()) {
                problems.add("writer said: " + said);
            }
        } finally {
            Files.deleteIfExists(acks);
            Files.deleteIfExists(output);
        }
        long revision = verify(dir, lastAck, problems);
        return new Round(killAfterMillis, before, lastAck, revision, (int) (lastAck - before), problems);
    }

    /** Opens the store (which checks it is whole) and compares it with what was acknowledged. */
    private static long verify(Path dir, long lastAck, List<String> problems) {
        try (SqliteProfileStore store = SqliteProfileStore.open(dir, Clock.systemUTC())) {
            ProfileStore.Contents contents = store.contents();
            long r = contents.revision();
            if (r < lastAck) {
                problems.add("LOST: write " + lastAck + " was acknowledged, the store is at revision " + r);
            } else if (r > lastAck + 1) {
                problems.add("the store is at revision " + r + ", beyond the acknowledged " + lastAck + " + 1 in flight");
            }
            for (ProfileStore.StoredProfile p : contents.profiles()) {
                long last = r;
                while (last > 0 && !DurabilityWriter.name(last).equals(p.name())) {
                    last--;
                }
                if (!p.json().equals(DurabilityWriter.json(last)) || p.version() != last) {
                    problems.add("profile " + p.name() + " holds " + p.json() + " (version " + p.version()
                            + "), expected write " + last);
                }
            }
            int expectedProfiles = (int) Math.min(r, DurabilityWriter.PROFILES);
            if (contents.profiles().size() != expectedProfiles) {
                problems.add(contents.profiles().size() + " profiles, expected " + expectedProfiles);
            }
            long audited = store.auditRows();
            if (audited != r) {
                problems.add(audited + " audit rows for revision " + r);
            }
            return r;
        } catch (RuntimeException e) {
            problems.add("the store could not be opened after the kill: " + e.getMessage());
            return -1;
        }
    }

    /**
     * {@code DurabilityCheck ROUNDS [DIR] [MAX_MILLIS]}: that many rounds on one store (each round
     * recovers from the previous kill), each killed at a uniformly random moment within
     * MAX_MILLIS (default 3000) of the writer's start. Exits 1 if any round lost or damaged anything.
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("wayfinder-durability");
        long max = args.length > 2 ? Long.parseLong(args[2]) : 3000;
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.printf(Locale.ROOT, "store %s, %d rounds, kill within %d ms of the writer's start (seed %d)%n",
                dir, rounds, max, seed);
        long acknowledged = 0;
        int failed = 0;
        int beforeFirstWrite = 0;
        long started = System.nanoTime();
        for (int i = 1; i <= rounds; i++) {
            Round r = round(dir, (long) (random.nextDouble() * max));
            acknowledged += r.acknowledgedThisRound();
            if (r.acknowledgedThisRound() == 0) {
                beforeFirstWrite++;
            }
            if (!r.ok()) {
                failed++;
            }
            System.out.printf(Locale.ROOT, "round %4d: killed after %5d ms, %6d acknowledged, last ack %8d, store at %8d %s%n",
                    i, r.killAfterMillis(), r.acknowledgedThisRound(), r.lastAck(), r.revision(),
                    r.ok() ? "ok" : "FAILED " + r.problems());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%d rounds in %.0f s: %d writes acknowledged, %d rounds killed before the first"
                        + " acknowledgement, %d rounds with a lost or damaged write%n",
                rounds, seconds, acknowledged, beforeFirstWrite, failed);
        System.exit(failed == 0 ? 0 : 1);
    }
}
