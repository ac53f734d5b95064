package org.acme.example.operator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes guessing the operator's password slow without locking the operator out: every source address has a token
 * bucket of {@value #BURST} attempts, refilled at {@value #PER_SECOND} a second, and all addresses together one of
 * {@value #GLOBAL_BURST}, refilled at {@value #GLOBAL_PER_SECOND} a second. Every attempt that carries credentials
 * takes a token from both before they are checked; the right credentials give them back. So one address gets at most
 * {@code BURST + PER_SECOND * seconds} wrong guesses checked, and all addresses together at most
 * {@code GLOBAL_BURST + GLOBAL_PER_SECOND * seconds}; the others are refused unchecked. A flood from one address (or
 * a few) empties only its own buckets: the operator, from another address, still gets in. Only a flood from more than
 * {@code GLOBAL_PER_SECOND / PER_SECOND} addresses at once can empty the global bucket, and then the operator waits
 * like everyone else.
 * <p>
 * The buckets of at most {@value #MAX_ADDRESSES} addresses are kept, those used least recently given up first (a
 * given-up address starts again with a full bucket, still under the global one).
 */
final class GuessThrottle {

    static final int BURST = 10;
    static final double PER_SECOND = 2;
    static final int GLOBAL_BURST = 50;
    static final double GLOBAL_PER_SECOND = 10;
    static final int MAX_ADDRESSES = 4096;

    /** A token bucket; not thread-safe on its own (the throttle's lock guards it). */
    private static final class Bucket {
        private final int burst;
        private final double perSecond;
        private double tokens;
        private long refilledAt;

        Bucket(int burst, double perSecond, long nowNanos) {
            this.burst = burst;
            this.perSecond = perSecond;
            this.tokens = burst;
            this.refilledAt = nowNanos;
        }

        boolean has(long nowNanos) {
            tokens = Math.min(burst, tokens + (nowNanos - refilledAt) / 1e9 * perSecond);
            refilledAt = nowNanos;
            return tokens >= 1;
        }

        void take() {
            tokens -= 1;
        }

        void giveBack() {
            tokens = Math.min(burst, tokens + 1);
        }

        long nanosUntilToken(long nowNanos) {
            return has(nowNanos) ? 0 : (long) Math.ceil((1 - tokens) / perSecond * 1e9);
        }
    }

    private final Bucket global;
    private final Map<String, Bucket> byAddress = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    GuessThrottle(long nowNanos) {
        this.global = new Bucket(GLOBAL_BURST, GLOBAL_PER_SECOND, nowNanos);
    }

    /** Takes a token for an attempt from {@code address} if both its bucket and the global one have one. */
    synchronized boolean tryAcquire(String address, long nowNanos) {
        Bucket own = byAddress.computeIfAbsent(address, a -> new Bucket(BURST, PER_SECOND, nowNanos));
        if (!own.has(nowNanos) || !global.has(nowNanos)) {
            return false;
        }
        own.take();
        global.take();
        return true;
    }

    /** Gives back the tokens of an attempt that turned out to be the operator's. */
    synchronized void refund(String address) {
        Bucket own = byAddress.get(address);
        if (own != null) {
            own.giveBack();
        }
        global.giveBack();
    }

    /** How long until the next attempt from {@code address} will be checked. */
    synchronized Duration retryAfter(String address, long nowNanos) {
        Bucket own = byAddress.get(address);
        long wait = Math.max(own == null ? 0 : own.nanosUntilToken(nowNanos), global.nanosUntilToken(nowNanos));
        return Duration.ofNanos(wait);
    }

    /** Addresses whose buckets are kept now. */
    synchronized int addresses() {
        return byAddress.size();
    }
}
