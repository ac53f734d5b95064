package org.acme.example.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waiting on a condition, with a deadline, instead of sleeping for a guessed time. */
public final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(200);

    private Poll() {
    }

    /**
     * Calls {@code attempt} until it returns non-null, and returns that; fails after {@code timeout} with
     * {@code what} and the last {@code diagnostics}.
     */
    public static <T> T until(String what, Duration timeout, Supplier<T> attempt, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T result = attempt.get();
            if (result != null) {
                return result;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "\n" + diagnostics.get());
            }
            pause();
        }
    }

    public static void pause() {
        try {
            Thread.sleep(INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
