package org.acme.example.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The reads of the fault file, each on a daemon thread of its own, never on a Vert.x or Quarkus thread: a read can
 * block for ever (a FIFO swapped in after the check that the file is a regular one, a hung network mount), and a
 * Quarkus worker blocked in it kept the process alive after SIGTERM. A daemon thread keeps nothing alive.
 * <p>
 * One read is awaited at a time, for at most the timeout. A read that takes longer is abandoned: its outcome, should
 * it ever come, is dropped, and its thread is left in its system call. Later reads still start, so that a valid file
 * put in place is read, but less and less often: after the n-th abandoned read still blocking, the next one waits n
 * times the timeout; and while {@link #MAX_BLOCKED} abandoned reads still block, none starts, so that a mount that
 * hangs for good holds that many threads, not one more each second. A read that ends frees its place.
 */
final class FaultFileReads {

    /** Abandoned reads that may still block while a new read starts. */
    static final int MAX_BLOCKED = 4;
    static final String THREAD_NAME = "fault-file-read";

    private final Duration timeout;
    /** The read whose outcome is awaited; null when none is. Guarded by this, as are the others. */
    private Read awaited;
    private final List<Thread> abandoned = new ArrayList<>();
    private boolean stopped;
    /** No read starts before this time (System.nanoTime()), after an abandoned one. */
    private long pauseEndNanos;

    FaultFileReads(Duration timeout) {
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * Reads once and waits for the outcome, at most the timeout (start-up).
     *
     * @throws TimeoutException when the read took longer; it is abandoned
     */
    <T> T readNow(Supplier<T> read) throws TimeoutException {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Thread thread = start(() -> outcome.complete(read.get()));
        try {
            return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            synchronized (this) {
                abandoned.add(thread);
            }
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts a read unless one is awaited, or too many abandoned ones still block. Its outcome goes to {@code then}
     * on the read's thread, unless the read was abandoned meanwhile; the read is awaited until {@code then} returns.
     *
     * @return whether it started
     */
    synchronized <T> boolean start(Supplier<T> read, Consumer<T> then) {
        abandoned.removeIf(thread -> !thread.isAlive());
        if (stopped || awaited != null || abandoned.size() >= MAX_BLOCKED
                || !abandoned.isEmpty() && System.nanoTime() - pauseEndNanos < 0) {
            return false;
        }
        Read next = new Read(System.nanoTime());
        awaited = next;
        next.thread = start(() -> {
            try {
                T outcome = read.get();
                if (claim(next)) {
                    then.accept(outcome);
                }
            } finally {
                synchronized (this) {
                    if (awaited == next) {
                        awaited = null;
                    }
                }
            }
        });
        return true;
    }

    /** Whether the read's outcome is still awaited; from now on it is too late to abandon it. */
    private synchronized boolean claim(Read read) {
        read.finished = awaited == read;
        return read.finished;
    }

    /** Abandons the awaited read if it has not finished within the timeout; returns whether it did. */
    synchronized boolean abandonOverdue() {
        if (awaited == null || awaited.finished || System.nanoTime() - awaited.startedNanos < timeout.toNanos()) {
            return false;
        }
        abandoned.removeIf(thread -> !thread.isAlive());
        abandoned.add(awaited.thread);
        awaited = null;
        pauseEndNanos = System.nanoTime() + timeout.toNanos() * abandoned.size();
        return true;
    }

    /** No read starts any more; those under way are left to end (or not) on their daemon threads. */
    synchronized void stop() {
        stopped = true;
    }

    private static Thread start(Runnable task) {
        Thread thread = new Thread(task, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static final class Read {
        final long startedNanos;
        Thread thread;
        /** Its outcome is being handed over: too late to abandon it. */
        boolean finished;

        Read(long startedNanos) {
            this.startedNanos = startedNanos;
        }
    }
}
