package org.acme.example.process;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The share of the available CPUs a process used since the previous reading: what {@code process_cpu_usage} shows.
 * <p>
 * A reading closer than {@link #MIN_WINDOW_NANOS} to the previous one (two Prometheus servers scraping one after the
 * other) repeats the last value and keeps the window open, so that a few milliseconds of rounding never read as a
 * spike. The first reading covers the time since the process started.
 */
final class CpuUsage {

    static final long MIN_WINDOW_NANOS = 1_000_000_000L;

    private final LongSupplier cpuNanos;
    private final LongSupplier wallNanos;
    private final IntSupplier processors;
    private long windowCpuNanos;
    private long windowStartNanos;
    private double last;

    /**
     * cpuNanos: the CPU time the process has used; wallNanos: a monotonic clock, startNanos: its reading when the process
     * started; processors: how many CPUs the process may use (it can change when a pod is resized in place).
     */
    CpuUsage(LongSupplier cpuNanos, LongSupplier wallNanos, long startNanos, IntSupplier processors) {
        this.cpuNanos = cpuNanos;
        this.wallNanos = wallNanos;
        this.processors = processors;
        this.windowStartNanos = startNanos;
    }

    synchronized double read() {
        long now = wallNanos.getAsLong();
        long elapsed = now - windowStartNanos;
        if (elapsed < MIN_WINDOW_NANOS) {
            return last;
        }
        long cpu = cpuNanos.getAsLong();
        last = Math.min(1.0, Math.max(0.0, (double) (cpu - windowCpuNanos) / elapsed / processors.getAsInt()));
        windowCpuNanos = cpu;
        windowStartNanos = now;
        return last;
    }
}
