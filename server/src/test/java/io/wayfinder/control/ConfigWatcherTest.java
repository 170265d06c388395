package io.wayfinder.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.time.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the watcher reports that the watched files have changed and settled, on a manual clock. */
class ConfigWatcherTest {
    private static final long POLL = 100;
    private static final long QUIET = 2_000;

    @TempDir
    Path dir;
    final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2030-01-01T00:00:00Z"));
    final AtomicInteger settled = new AtomicInteger();
    ConfigWatcher watcher;

    /** Watches the files; when they settle, counts it and takes them as applied, as a reload does. */
    private void watch(Path... files) {
        watch(QUIET, files);
    }

    private void watch(long quietMillis, Path... files) {
        watcher = new ConfigWatcher(scheduler, FileStamp.of(List.of(files)), quietMillis, () -> {
            settled.incrementAndGet();
            watcher.watch(watcher.stampNow(), quietMillis);
        }, POLL);
    }

    @Test
    void aFileThatKeepsChangingSettlesAQuietPeriodAfterItsLastChange() throws Exception {
        Path file = Files.writeString(dir.resolve("a.yaml"), "a");
        watch(file);

        for (int i = 0; i < 10; i++) { // an append every 500 ms for 5 s
            Files.writeString(file, "b", StandardOpenOption.APPEND);
            scheduler.advance(Duration.ofMillis(500));
        }
        assertThat(settled).hasValue(0);
        scheduler.advance(Duration.ofMillis(QUIET - 500 - POLL));
        assertThat(settled).hasValue(0);
        scheduler.advance(Duration.ofMillis(2 * POLL));
        assertThat(settled).hasValue(1);
    }

    @Test
    void nothingIsReportedWhileNothingChanges() throws Exception {
        watch(Files.writeString(dir.resolve("a.yaml"), "a"));

        scheduler.advance(Duration.ofMinutes(1));

        assertThat(settled).hasValue(0);
    }

    /** A rename that replaces the file with one of the same size and time is still a change: its identity differs. */
    @Test
    void aFileReplacedByARenameIsAChangeEvenWithTheSameSizeAndTime() throws Exception {
        Path file = Files.writeString(dir.resolve("a.yaml"), "a");
        FileTime time = Files.getLastModifiedTime(file);
        watch(file);

        Path next = Files.writeString(dir.resolve("a.yaml.tmp"), "b");
        Files.setLastModifiedTime(next, time);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        scheduler.advance(Duration.ofMillis(QUIET + 2 * POLL));

        assertThat(settled).hasValue(1);
    }

    /** A renamed file is whole (editors that write a copy, atomic writers, symlink swaps): no quiet period. */
    @Test
    void aFileReplacedByARenameSettlesAtTheNextPoll() throws Exception {
        Path file = Files.writeString(dir.resolve("a.yaml"), "a");
        watch(file);

        Path next = Files.writeString(dir.resolve("a.yaml.tmp"), "bb");
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        scheduler.advance(Duration.ofMillis(POLL));

        assertThat(settled).hasValue(1);
    }

    /** Written in place, a file may be half written: a rename of another file does not hurry it. */
    @Test
    void aFileWrittenInPlaceWaitsForTheQuietPeriodEvenBesideARenamedOne() throws Exception {
        Path config = Files.writeString(dir.resolve("a.yaml"), "a");
        Path data = Files.writeString(dir.resolve("b.csv"), "x");
        watch(config, data);

        Files.writeString(data, "y", StandardOpenOption.APPEND);
        Files.move(Files.writeString(dir.resolve("a.yaml.tmp"), "bb"), config, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        scheduler.advance(Duration.ofMillis(QUIET - POLL));
        assertThat(settled).hasValue(0);
        scheduler.advance(Duration.ofMillis(2 * POLL));
        assertThat(settled).hasValue(1);
    }

    @Test
    void aMissingFileThatAppearsIsAChange() throws Exception {
        Path file = dir.resolve("later.csv");
        watch(Files.writeString(dir.resolve("a.yaml"), "a"), file);

        Files.writeString(file, "prefix,region,rtt_ms\n");
        scheduler.advance(Duration.ofMillis(QUIET + 2 * POLL));

        assertThat(settled).hasValue(1);
    }

    /**
     * The watcher runs on a scheduler whose guard rethrows Errors, and a periodic task that throws
     * is never run again: whatever the reload throws, even an Error, the watcher keeps polling.
     */
    @Test
    void anErrorWhileReloadingDoesNotStopTheWatcher() throws Exception {
        Path file = Files.writeString(dir.resolve("a.yaml"), "a");
        AtomicInteger calls = new AtomicInteger();
        ConfigWatcher[] watcher = new ConfigWatcher[1];
        watcher[0] = new ConfigWatcher(scheduler, FileStamp.of(List.of(file)), QUIET, () -> {
            calls.incrementAndGet();
            watcher[0].watch(FileStamp.of(List.of(file)), QUIET);
            throw new StackOverflowError("a file that broke the parser");
        }, POLL);

        Files.writeString(file, "bb");
        scheduler.advance(Duration.ofMillis(QUIET + 2 * POLL));
        Files.writeString(file, "ccc");
        scheduler.advance(Duration.ofMillis(QUIET + 2 * POLL));

        assertThat(calls).hasValue(2);
    }

    @Test
    void aQuietPeriodOfZeroReportsAtTheFirstPollThatSeesTheChange() throws Exception {
        Path file = Files.writeString(dir.resolve("a.yaml"), "a");
        watch(0, file);

        Files.writeString(file, "b");
        scheduler.advance(Duration.ofMillis(POLL));

        assertThat(settled).hasValue(1);
    }
}
