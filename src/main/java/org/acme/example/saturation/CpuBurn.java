package org.acme.example.saturation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a number of cores busy, fractions included: {@code ceil(cores)} daemon threads, each spinning for its share
 * of every 10 ms period and sleeping the rest, so that 1.5 cores is two threads at 75 %. A duty cycle rather than
 * one thread per whole core: the scheduler sees short runnable bursts, and the event loop gets its turn on the cores
 * left over. Stopping sets a flag the threads read every period: they end within one.
 */
final class CpuBurn {

    private static final long PERIOD_NANOS = 10_000_000;

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private double cores;

    /** Burns {@code cores} from now on (0: none), replacing what burned before. */
    synchronized void burn(double next) {
        if (next == cores) {
            return;
        }
        stop();
        cores = next;
        if (next <= 0) {
            return;
        }
        running = true;
        int count = (int) Math.ceil(next);
        long busyNanos = (long) (PERIOD_NANOS * (next / count));
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(() -> spin(busyNanos), "cpu-burn-" + i);
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
            threads.add(thread);
            thread.start();
        }
    }

    synchronized void stop() {
        running = false;
        cores = 0;
        for (Thread thread : threads) {
            thread.interrupt();
        }
        threads.clear();
    }

    double cores() {
        return cores;
    }

    private void spin(long busyNanos) {
        long sink = 0;
        while (running) {
            long start = System.nanoTime();
            while (System.nanoTime() - start < busyNanos) {
                sink += start ^ sink; // work the JIT cannot drop
            }
            long idle = PERIOD_NANOS - (System.nanoTime() - start);
            if (idle > 0) {
                LockSupport.parkNanos(idle);
            }
        }
        if (sink == 42) {
            Thread.onSpinWait();
        }
    }
}
