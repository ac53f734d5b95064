package org.acme.example.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class CpuUsageTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong cpu = new AtomicLong();
    private final AtomicLong wall = new AtomicLong(100 * SECOND);

    @Test
    void theFirstReadingCoversTheTimeSinceStart() {
        CpuUsage usage = new CpuUsage(cpu::get, wall::get, 90 * SECOND, () -> 2);
        cpu.set(4 * SECOND); // 4 s of CPU in 10 s on 2 CPUs
        assertEquals(0.2, usage.read(), 1e-9);
    }

    @Test
    void eachReadingCoversTheTimeSinceThePreviousOne() {
        CpuUsage usage = new CpuUsage(cpu::get, wall::get, 90 * SECOND, () -> 2);
        usage.read();
        wall.addAndGet(15 * SECOND);
        cpu.addAndGet(15 * SECOND); // one CPU of two busy
        assertEquals(0.5, usage.read(), 1e-9);
        wall.addAndGet(10 * SECOND);
        assertEquals(0.0, usage.read(), 1e-9);
    }

    @Test
    void aReadingSoonAfterAnotherRepeatsItAndKeepsTheWindowOpen() {
        CpuUsage usage = new CpuUsage(cpu::get, wall::get, 99 * SECOND, () -> 1);
        cpu.set(SECOND / 4);
        assertEquals(0.25, usage.read(), 1e-9);
        wall.addAndGet(SECOND / 100);
        cpu.addAndGet(SECOND / 100);
        assertEquals(0.25, usage.read(), 1e-9, "10 ms after: the last value, not a 100 % spike");
        wall.addAndGet(SECOND - SECOND / 100);
        assertEquals(0.01, usage.read(), 1e-9, "the window runs from the last complete reading");
    }

    @Test
    void theAvailableProcessorsAreReadEachTime() {
        int[] processors = { 1 };
        CpuUsage usage = new CpuUsage(cpu::get, wall::get, 98 * SECOND, () -> processors[0]);
        cpu.set(SECOND);
        assertEquals(0.5, usage.read(), 1e-9);
        processors[0] = 4;
        wall.addAndGet(2 * SECOND);
        cpu.addAndGet(2 * SECOND);
        assertEquals(0.25, usage.read(), 1e-9);
    }

    @Test
    void staysBetweenZeroAndOne() {
        CpuUsage usage = new CpuUsage(cpu::get, wall::get, 99 * SECOND, () -> 1);
        cpu.set(3 * SECOND); // under a CPU quota, threads can briefly run on more CPUs than the quota counts
        assertEquals(1.0, usage.read(), 1e-9);
    }
}
