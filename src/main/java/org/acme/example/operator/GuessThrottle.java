package org.acme.example.operator;

import java.time.Duration;

/**
 * Makes guessing the operator's password slow: a token bucket of {@value #BURST} attempts, refilled at
 * {@value #PER_SECOND} a second, shared by all clients (so it holds no memory per client). Every attempt that carries
 * credentials takes a token before they are checked; the right credentials give it back. So at most
 * {@code BURST + PER_SECOND * seconds} wrong guesses are ever checked; while the bucket is empty, attempts are
 * refused unchecked, the operator's own included, until a token is back.
 */
final class GuessThrottle {

    static final int BURST = 10;
    static final double PER_SECOND = 2;

    private double tokens = BURST;
    private long refilledAt;

    GuessThrottle(long nowNanos) {
        this.refilledAt = nowNanos;
    }

    /** Takes a token if there is one. */
    synchronized boolean tryAcquire(long nowNanos) {
        refill(nowNanos);
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** Gives back the token of an attempt that turned out to be the operator's. */
    synchronized void refund() {
        tokens = Math.min(BURST, tokens + 1);
    }

    /** How long until the next attempt will be checked. */
    synchronized Duration retryAfter(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil((1 - tokens) / PER_SECOND * 1e9));
    }

    private void refill(long nowNanos) {
        tokens = Math.min(BURST, tokens + (nowNanos - refilledAt) / 1e9 * PER_SECOND);
        refilledAt = nowNanos;
    }
}
