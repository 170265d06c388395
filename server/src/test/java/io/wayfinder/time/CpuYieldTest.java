package io.wayfinder.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CpuYieldTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicInteger yields = new AtomicInteger();
    private final CpuYield cpu = new CpuYield(now::get, yields::incrementAndGet);

    @Test
    void givesWayOnlyOnceTheIntervalHasPassedSinceTheLastTime() {
        long interval = CpuYield.INTERVAL_MICROS * 1_000;
        cpu.pointNow();
        assertEquals(0, yields.get(), "not before the first interval");
        now.addAndGet(interval - 1);
        cpu.pointNow();
        assertEquals(0, yields.get());
        now.addAndGet(1);
        cpu.pointNow();
        assertEquals(1, yields.get(), "due");
        cpu.pointNow();
        assertEquals(1, yields.get(), "the next interval starts at the yield");
        now.addAndGet(interval);
        cpu.pointNow();
        assertEquals(2, yields.get());
    }

    @Test
    void looksAtTheClockEvery1024thIterationOnly() {
        cpu.everyIteration(0); // this thread's first interval starts
        now.addAndGet(CpuYield.INTERVAL_MICROS * 1_000 * 100);
        for (int i = 1; i < 1024; i++) {
            cpu.everyIteration(i);
        }
        assertEquals(0, yields.get(), "iterations 1-1023 never yield, however late");
        cpu.everyIteration(1024);
        assertEquals(1, yields.get());
    }

    @Test
    void eachThreadKeepsItsOwnTime() throws Exception {
        long interval = CpuYield.INTERVAL_MICROS * 1_000;
        cpu.pointNow();
        now.addAndGet(interval);
        cpu.pointNow();
        assertEquals(1, yields.get());
        Thread other = new Thread(cpu::pointNow);
        other.start();
        other.join();
        assertEquals(1, yields.get(), "a thread's first interval starts when it first calls");
    }
}
