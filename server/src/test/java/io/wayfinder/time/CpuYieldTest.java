package io.wayfinder.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    private CpuYield onProcessors(int processors) {
        return new CpuYield(now::get, processors, yields::incrementAndGet, nanos -> {
            sleeps.add(nanos);
            now.addAndGet(nanos);
        });
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
    void onOneToThreeProcessorsPausesAsLongAsItRan() {
        CpuYield cpu = onProcessors(3);
        inBackground(cpu, () -> {
            now.addAndGet(INTERVAL + 5_000);
            cpu.pointNow();
            now.addAndGet(INTERVAL);
            cpu.pointNow();
        });
        assertEquals(List.of(INTERVAL + 5_000, INTERVAL), sleeps, "half a core: a pause as long as the work before it");
        assertEquals(0, yields.get());
    }

    @Test
    void aLongStretchIsPaidBackWithAtMostTenIntervals() {
        CpuYield cpu = onProcessors(1);
        inBackground(cpu, () -> {
            now.addAndGet(1_000 * INTERVAL);
            cpu.pointNow();
        });
        assertEquals(List.of(10 * INTERVAL), sleeps);
    }

    @Test
    void looksAtTheClockEvery1024thIterationOnly() {
        CpuYield cpu = onProcessors(8);
        inBackground(cpu, () -> {
            now.addAndGet(INTERVAL * 100);
            for (int i = 1; i < 1024; i++) {
                cpu.everyIteration(i);
            }
            assertEquals(0, yields.get(), "iterations 1-1023 never yield, however late");
            cpu.everyIteration(1024);
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
}
