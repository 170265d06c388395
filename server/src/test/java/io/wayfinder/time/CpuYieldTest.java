package io.wayfinder.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CpuYieldTest {
    private static final long INTERVAL = CpuYield.INTERVAL_MICROS * 1_000;
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicInteger yields = new AtomicInteger();
    private final List<Long> sleeps = new ArrayList<>();
    /** The server's answers so far, as {@link CpuYield#giveWayTo} sees them. */
    private final AtomicLong answered = new AtomicLong(500);
    private static final long ACTIVE = CpuYield.ACTIVE_MILLIS * 1_000_000;

    private CpuYield onProcessors(int processors) {
        CpuYield cpu = new CpuYield(now::get, processors, yields::incrementAndGet, nanos -> {
            sleeps.add(nanos);
            now.addAndGet(nanos);
        });
        cpu.addForeground(answered::get);
        return cpu;
    }

    /** Runs the steps as background work on this thread, as a reload does. */
    private static void inBackground(CpuYield cpu, Runnable steps) {
        cpu.background(() -> {
            steps.run();
            return null;
        });
    }

    @Test
    void givesWayOnlyOnceTheIntervalHasPassedSinceTheLastTime() {
        CpuYield cpu = onProcessors(8);
        inBackground(cpu, () -> {
            cpu.pointNow();
            assertEquals(0, yields.get(), "not before the first interval");
            now.addAndGet(INTERVAL - 1);
            cpu.pointNow();
            assertEquals(0, yields.get());
            now.addAndGet(1);
            cpu.pointNow();
            assertEquals(1, yields.get(), "due");
            cpu.pointNow();
            assertEquals(1, yields.get(), "the next interval starts at the yield");
            now.addAndGet(INTERVAL);
            cpu.pointNow();
            assertEquals(2, yields.get());
        });
        assertEquals(List.of(), sleeps, "from four processors on, the work only yields");
    }

    @Test
    void outsideBackgroundWorkNothingGivesWay() {
        CpuYield cpu = onProcessors(2);
        cpu.pointNow();
        now.addAndGet(100 * INTERVAL);
        cpu.pointNow();
        inBackground(cpu, () -> { });
        now.addAndGet(100 * INTERVAL);
        cpu.pointNow();
        assertEquals(0, yields.get());
        assertEquals(List.of(), sleeps, "start-up and tests run at full speed, also after a background run");
    }

    @Test
    void backgroundWorkStartsItsFirstIntervalWhenItStarts() {
        CpuYield cpu = onProcessors(8);
        cpu.pointNow();
        now.addAndGet(100 * INTERVAL); // idle between two reloads
        inBackground(cpu, () -> {
            cpu.pointNow();
            assertEquals(0, yields.get());
            now.addAndGet(INTERVAL);
            inBackground(cpu, cpu::pointNow); // nested: the same interval
            assertEquals(1, yields.get());
        });
    }

    @Test
    void onOneToThreeProcessorsPausesAsLongAsItRanWhileQueriesAreAnswered() {
        CpuYield cpu = onProcessors(3);
        inBackground(cpu, () -> {
            now.addAndGet(INTERVAL + 5_000);
            answered.incrementAndGet();
            cpu.pointNow();
            now.addAndGet(INTERVAL);
            answered.incrementAndGet();
            cpu.pointNow();
        });
        assertEquals(List.of(INTERVAL + 5_000, INTERVAL), sleeps, "half a core: a pause as long as the work before it");
        assertEquals(0, yields.get());
    }

    @Test
    void whileQueriesComeAPauseFollowsEveryShortStretchAndWithoutThemEveryInterval() {
        long pausing = CpuYield.PAUSING_INTERVAL_MICROS * 1_000;
        assertTrue(pausing < INTERVAL);
        CpuYield cpu = onProcessors(2);
        inBackground(cpu, () -> {
            now.addAndGet(INTERVAL);
            answered.incrementAndGet();
            cpu.pointNow();
            assertEquals(List.of(INTERVAL), sleeps, "the first stretch is a whole interval");
            now.addAndGet(pausing - 1);
            cpu.pointNow();
            assertEquals(1, sleeps.size(), "not before the short stretch");
            now.addAndGet(1);
            cpu.pointNow();
            assertEquals(List.of(INTERVAL, pausing), sleeps, "then one pause per short stretch");
            now.addAndGet(ACTIVE); // the answers stopped: the work only yields, every interval
            cpu.pointNow();
            assertEquals(1, yields.get());
            now.addAndGet(pausing);
            cpu.pointNow();
            assertEquals(1, yields.get(), "a short stretch is not enough without queries");
            now.addAndGet(INTERVAL - pausing);
            cpu.pointNow();
            assertEquals(2, yields.get());
        });
        assertEquals(2, sleeps.size());
    }

    @Test
    void aLongStretchIsPaidBackWithAtMostTenShortStretches() {
        CpuYield cpu = onProcessors(1);
        inBackground(cpu, () -> {
            now.addAndGet(1_000 * INTERVAL);
            answered.incrementAndGet();
            cpu.pointNow();
        });
        assertEquals(List.of(10 * CpuYield.PAUSING_INTERVAL_MICROS * 1_000), sleeps);
    }

    @Test
    void twoThreadsInBackgroundWorkEachPauseThreeTimesAsLongAsTheyWorked() throws Exception {
        CpuYield cpu = onProcessors(2);
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread lane = new Thread(() -> inBackground(cpu, () -> {
            inside.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }));
        lane.start();
        inside.await();
        inBackground(cpu, () -> {
            now.addAndGet(INTERVAL);
            answered.incrementAndGet();
            cpu.pointNow();
        });
        done.countDown();
        lane.join();
        inBackground(cpu, () -> {
            now.addAndGet(INTERVAL);
            answered.incrementAndGet();
            cpu.pointNow();
        });
        assertEquals(List.of(3 * INTERVAL, INTERVAL), sleeps,
                "two threads at a quarter of a core each, then one alone at half a core");
    }

    @Test
    void aQuarterShareIsAPauseThreeTimesAsLongAsTheWorkAndItsPoolThreadsKeepIt() {
        CpuYield cpu = onProcessors(2);
        cpu.background(CpuYield.Share.QUARTER.parts, () -> {
            now.addAndGet(INTERVAL);
            answered.incrementAndGet();
            cpu.pointNow();
            assertEquals(List.of(3 * INTERVAL), sleeps, "a quarter of a core: three times the work");
            Runnable part = cpu.sameModeAsCaller(() -> {
                now.addAndGet(INTERVAL);
                answered.incrementAndGet();
                cpu.pointNow();
            });
            runOnAnotherThread(part);
            assertEquals(List.of(3 * INTERVAL, 7 * INTERVAL), sleeps,
                    "a lane of a quarter's work, beside its caller: two threads at an eighth each");
            return null;
        });
        inBackground(cpu, () -> {
            now.addAndGet(INTERVAL);
            answered.incrementAndGet();
            cpu.pointNow();
        });
        assertEquals(INTERVAL, sleeps.get(2), "the next work at half a core again");
    }

    @Test
    void withNoQueriesToGiveWayToItOnlyYields() {
        CpuYield cpu = onProcessors(2);
        inBackground(cpu, () -> {
            for (int i = 0; i < 5; i++) {
                now.addAndGet(INTERVAL);
                cpu.pointNow();
            }
        });
        assertEquals(List.of(), sleeps, "answers before the work started are no reason to pause");
        assertEquals(5, yields.get());
    }

    @Test
    void pausesUntilTheAnswersStoppedRisingForTheActiveWindow() {
        CpuYield cpu = onProcessors(2);
        inBackground(cpu, () -> {
            now.addAndGet(INTERVAL);
            answered.incrementAndGet();
            cpu.pointNow(); // a rise: pauses (INTERVAL), the window runs from here
            long windowEnds = now.get() - INTERVAL + ACTIVE;
            while (now.get() + INTERVAL < windowEnds) {
                now.addAndGet(INTERVAL);
                cpu.pointNow();
            }
            int pausedInWindow = sleeps.size();
            assertEquals(0, yields.get(), "no rise since, but within the window: still pauses");
            now.set(windowEnds + INTERVAL);
            cpu.pointNow();
            assertEquals(pausedInWindow, sleeps.size(), "past the window: no pause");
            assertEquals(1, yields.get());
        });
    }

    @Test
    void aClosedRegistrationIsNoLongerWatched() {
        CpuYield cpu = new CpuYield(now::get, 2, yields::incrementAndGet, nanos -> {
            sleeps.add(nanos);
            now.addAndGet(nanos);
        });
        AtomicLong other = new AtomicLong();
        CpuYield.Registration registration = cpu.addForeground(other::get);
        inBackground(cpu, () -> {
            now.addAndGet(INTERVAL);
            other.incrementAndGet();
            cpu.pointNow();
            assertEquals(1, sleeps.size());
            registration.close();
            registration.close();
            now.addAndGet(ACTIVE + INTERVAL);
            other.incrementAndGet();
            cpu.pointNow();
            assertEquals(1, sleeps.size(), "a stopped server's count is not watched");
        });
    }

    @Test
    void aPoolThreadRunsAPartInTheCallersMode() throws Exception {
        CpuYield cpu = onProcessors(8);
        Runnable part = () -> {
            now.addAndGet(INTERVAL);
            cpu.pointNow();
        };
        runOnAnotherThread(cpu.sameModeAsCaller(part));
        assertEquals(0, yields.get(), "a caller outside background work passes its part on as it is");
        inBackground(cpu, () -> runOnAnotherThread(cpu.sameModeAsCaller(part)));
        assertEquals(1, yields.get(), "a caller in background work passes that on");
    }

    private static void runOnAnotherThread(Runnable r) {
        Thread t = new Thread(r);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void looksAtTheClockEveryFewIterationsOnly() {
        CpuYield cpu = onProcessors(8);
        int every = CpuYield.ITERATIONS_PER_LOOK;
        inBackground(cpu, () -> {
            now.addAndGet(INTERVAL * 100);
            for (int i = 1; i < every; i++) {
                cpu.everyIteration(i);
            }
            assertEquals(0, yields.get(), "iterations between two looks never yield, however late");
            cpu.everyIteration(every);
            assertEquals(1, yields.get());
        });
    }

    @Test
    void anotherThreadIsNotInBackgroundWork() throws Exception {
        CpuYield cpu = onProcessors(8);
        inBackground(cpu, () -> {
            now.addAndGet(INTERVAL);
            Thread other = new Thread(cpu::pointNow);
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertEquals(0, yields.get(), "the other thread is not in background work");
            cpu.pointNow();
            assertEquals(1, yields.get());
        });
    }

    @Test
    void primingTakesTheYieldPointsEveryWayAWorkUnderLoadTakesThem() {
        CpuYield cpu = new CpuYield(() -> now.addAndGet(INTERVAL / 2), 1, yields::incrementAndGet, sleeps::add);
        boolean[] answering = {false};
        cpu.addForeground(() -> answering[0] ? answered.incrementAndGet() : answered.get());
        List<Boolean> switched = new ArrayList<>();
        cpu.takeEveryBranch(on -> {
            switched.add(on);
            answering[0] = on;
        });
        assertEquals(CpuYield.PRIMING_ROUNDS, switched.size());
        assertTrue(switched.contains(true) && switched.contains(false), "rounds with answers coming and without");
        assertTrue(sleeps.size() >= CpuYield.PRIMING_ROUNDS / 2, "pauses while answers come: " + sleeps.size());
        assertTrue(yields.get() >= CpuYield.PRIMING_ROUNDS / 4, "yields once they stopped: " + yields.get());
        assertEquals(0, cpu.threadsInBackgroundNow(), "and no thread left in background work");
    }

    @Test
    void primingTakesAPausesCapAsWellAsAPauseUnderIt() {
        CpuYield cpu = new CpuYield(CpuYield.primingClock(), 1, yields::incrementAndGet, sleeps::add);
        boolean[] answering = {false};
        cpu.addForeground(() -> answering[0] ? answered.incrementAndGet() : answered.get());
        cpu.takeEveryBranch(on -> answering[0] = on);
        long cap = 10 * CpuYield.PAUSING_INTERVAL_MICROS * 1_000;
        assertTrue(sleeps.contains(cap), "a stretch longer than the cap, paused for the cap: " + sleeps);
        assertTrue(sleeps.stream().anyMatch(pause -> pause < cap), "and shorter stretches, paused for as long: " + sleeps);
    }

    @Test
    void primingTheCompilerLeavesTheServersYieldPointsAlone() {
        long watched = CpuYield.watchedAnswers();
        CpuYield.primeTheCompiler();
        assertEquals(watched, CpuYield.watchedAnswers(), "no foreground registered");
        assertEquals(false, CpuYield.inBackgroundHere());
    }
}
