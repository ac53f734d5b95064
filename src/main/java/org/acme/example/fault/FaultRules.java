package org.acme.example.fault;

import java.time.Duration;

/**
 * The allowed values of every fault setting, written once and used both when the configuration is read at
 * start-up (names are property names) and when a setting is changed at run time (names are JSON fields).
 */
public final class FaultRules {

    public static final String FAILURE_RATE_RANGE = "a number in [0, 1]";
    /** Long enough for any latency demo, short enough that a typo cannot hold connections for hours. */
    public static final long MAX_LATENCY_MS = 60_000;
    public static final String LATENCY_RANGE = "a duration of 0 to " + MAX_LATENCY_MS + " whole milliseconds";

    private FaultRules() {
    }

    /**
     * @throws IllegalArgumentException naming the setting, the value and the allowed range
     */
    public static double requireFailureRate(String name, double value) {
        // NaN fails both comparisons, so it is rejected along with infinities and out-of-range values.
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(invalid(name, String.valueOf(value), FAILURE_RATE_RANGE));
        }
        return value;
    }

    public static double parseFailureRate(String name, String text) {
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(invalid(name, text, FAILURE_RATE_RANGE));
        }
        return requireFailureRate(name, value);
    }

    /** @param shown the value as the operator wrote it, for the message */
    public static long requireLatency(String name, Duration value, String shown) {
        // Seconds and nanos separately: toNanos() would overflow for absurdly long durations.
        return requireLatencyMs(name, value.getSeconds() * 1000.0 + value.getNano() / 1e6, shown);
    }

    public static long requireLatencyMs(String name, Number value) {
        return requireLatencyMs(name, value.doubleValue(), value.toString());
    }

    /** The latency rule itself: whole milliseconds in [0, MAX_LATENCY_MS]. */
    private static long requireLatencyMs(String name, double ms, String shown) {
        if (!(ms >= 0 && ms <= MAX_LATENCY_MS && ms == Math.rint(ms))) {
            throw new IllegalArgumentException(invalid(name, shown, LATENCY_RANGE));
        }
        return (long) ms;
    }

    public static void requireOrderedLatency(String minName, long minMs, String maxName, long maxMs) {
        if (minMs > maxMs) {
            throw new IllegalArgumentException(
                    minName + " (" + minMs + " ms) must not be greater than " + maxName + " (" + maxMs + " ms)");
        }
    }

    static String invalid(String name, String value, String range) {
        return name + " must be " + range + ", got '" + value + "'";
    }
}
