package org.acme.example.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that the request heads still being received on every connection, of both ports, may hold together. A
 * head that arrives whole in one read, as almost all do, is never counted; one that spans reads holds its bytes and,
 * for each header line, a decoded header (about 100 bytes of heap each, measured with Vert.x 4.5 on Netty 4.1: a map
 * entry, its name and its value) until it is complete. Each connection {@link #charge charges} what its unfinished
 * head holds as it grows, and gives it back when the head is complete or the connection closed.
 */
final class UnfinishedHeads {

    /** What a header line costs beyond its bytes, rounded up from the ~100 bytes measured. */
    static final long LINE_COST = 128;

    private final long budget;
    private final AtomicLong held = new AtomicLong();

    UnfinishedHeads(long budget) {
        this.budget = budget;
    }

    /** What a head of so many bytes and lines holds, estimated. */
    static long cost(long bytes, int lines) {
        return bytes + lines * LINE_COST;
    }

    /** Takes {@code bytes} more of the budget; false (taking nothing) when that would pass it. */
    boolean charge(long bytes) {
        long now;
        do {
            now = held.get();
            if (now + bytes > budget) {
                return false;
            }
        } while (!held.compareAndSet(now, now + bytes));
        return true;
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }

    long budget() {
        return budget;
    }
}
