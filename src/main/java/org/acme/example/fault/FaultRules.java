package org.acme.example.fault;

import static org.acme.example.InvalidSetting.message;

import org.acme.example.Durations;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;


/**
 * The allowed values of every fault setting, written once and used by every source: the configuration at start-up
 * (names are property names), {@code PUT /fault}, the fault file and scenario steps (names are JSON fields) and
 * per-request parameters (names are query parameters). Each method returns the checked value or throws an
 * {@link IllegalArgumentException} naming the setting, the value and the allowed range.
 */
public final class FaultRules {

    public static final String FAILURE_RATE_RANGE = "a number in [0, 1]";
    /** Long enough for any latency demo, short enough that a typo cannot hold connections for hours. */
    public static final Duration MAX_LATENCY = Duration.ofSeconds(60);
    public static final String LATENCY_RANGE = "a duration of 0 to 60s in whole milliseconds, such as 50ms";
    public static final String STATUS_MIX_RANGE =
            "weights (numbers >= 0, not all 0) of status codes 429 or 500 to 599, such as 500=3,503=1";
    public static final String FAILURE_STATUS_RANGE = "429 or a status code from 500 to 599";
    /** How long a timed override or one scenario step may last: a forgotten fault still ends within a day. */
    public static final Duration MAX_FAULT_DURATION = Duration.ofHours(24);
    public static final String FAULT_DURATION_RANGE = "a duration of 1 ms to 24 h, such as 30s or 5m";
    /** Far beyond the generated startup probe's 60 s, which is the point of the demo; a typo still ends. */
    public static final Duration MAX_STARTUP_DELAY = Duration.ofMinutes(10);
    public static final String STARTUP_DELAY_RANGE = "a duration of 0 to 10 minutes";
    /** Steps of a custom scenario: enough for any incident timeline, and a bound on what one request can hold. */
    public static final int MAX_STEPS = 64;

    private static final Pattern STATUS_CODE = Pattern.compile("\\d{3}");

    private FaultRules() {
    }

    /** @param shown the value as the operator wrote it, for the message */
    public static double failureRate(String name, double value, String shown) {
        // NaN fails both comparisons, so it is rejected along with infinities and out-of-range values.
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(message(name, shown, FAILURE_RATE_RANGE));
        }
        return value + 0.0; // -0.0 becomes 0.0
    }

    public static double parseFailureRate(String name, String text) {
        try {
            return failureRate(name, Double.parseDouble(text.trim()), text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(message(name, text, FAILURE_RATE_RANGE));
        }
    }

    /** The latency rule itself: whole milliseconds in [0, MAX_LATENCY], returned in milliseconds. */
    public static long latencyMs(String name, Duration latency, String shown) {
        // Seconds and nanos separately: toNanos() would overflow for absurdly long durations.
        if (latency.isNegative() || latency.compareTo(MAX_LATENCY) > 0 || latency.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException(message(name, shown, LATENCY_RANGE));
        }
        return latency.toMillis();
    }

    /** A latency written as a duration with a unit, such as {@code 200ms} (configuration, JSON, per-request delay). */
    public static long parseLatencyMs(String name, String text) {
        return latencyMs(name, Durations.parse(name, text, LATENCY_RANGE), text);
    }

    public static void requireOrderedLatency(String minName, long minMs, String maxName, long maxMs) {
        if (minMs > maxMs) {
            throw new IllegalArgumentException(minName + " (" + Durations.format(Duration.ofMillis(minMs))
                    + ") must not be greater than " + maxName + " (" + Durations.format(Duration.ofMillis(maxMs)) + ")");
        }
    }

    /**
     * Checks every setting a change makes against its rule, once: the one validation of a change from any source
     * (JSON of {@code PUT /fault}, the fault file or a scenario step; a request's parameters).
     *
     * @param prefix put before the JSON field names in a message, e.g. {@code "steps[2]."}
     * @return the change, with latencies in whole milliseconds and a failure rate of -0 as 0
     */
    public static FaultChange check(FaultChange change, String prefix) {
        Double rate = change.failureRate() == null ? null
                : failureRate(prefix + FaultJson.FAILURE_RATE, change.failureRate(), shown(change.failureRate()));
        Duration min = latency(prefix + FaultJson.LATENCY_MIN, change.latencyMin());
        Duration max = latency(prefix + FaultJson.LATENCY_MAX, change.latencyMax());
        if (min != null && max != null) {
            requireOrderedLatency(prefix + FaultJson.LATENCY_MIN, min.toMillis(), prefix + FaultJson.LATENCY_MAX,
                    max.toMillis());
        }
        FaultChange.Saturation sat = change.saturation();
        FaultChange.Saturation checked = new FaultChange.Saturation(
                sat.cpuBurnCores() == null ? null : SaturationRules.cores(prefix + FaultJson.CPU_BURN_CORES, sat.cpuBurnCores()),
                sat.memoryTarget() == null ? null : SaturationRules.memoryTarget(prefix + FaultJson.MEMORY_TARGET,
                        sat.memoryTarget(), SaturationRules.formatSize(sat.memoryTarget())),
                sat.memoryRate(),
                sat.allowOomKill(),
                sat.hangRate() == null ? null : SaturationRules.share(prefix + FaultJson.HANG_RATE, sat.hangRate()),
                sat.resetRate() == null ? null : SaturationRules.share(prefix + FaultJson.RESET_RATE, sat.resetRate()),
                sat.crashAfter() == null ? null : SaturationRules.crashAfter(prefix + FaultJson.CRASH_AFTER, sat.crashAfter()),
                sat.crashExitCode() == null ? null
                        : SaturationRules.exitCode(prefix + FaultJson.CRASH_EXIT_CODE, sat.crashExitCode()));
        return new FaultChange(rate, change.failureStatuses(), min, max, change.ready(), change.live(),
                change.requestFaults(), checked);
    }

    private static Duration latency(String name, Duration latency) {
        return latency == null ? null : Duration.ofMillis(latencyMs(name, latency, Durations.format(latency)));
    }

    /** A number as JSON shows it: 2, not 2.0. */
    static String shown(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
    }

    public static boolean isFailureStatus(int status) {
        return status == 429 || (status >= 500 && status <= 599);
    }

    /** A status code written as text, such as the key {@code "503"}; {@code allowed} decides which codes pass. */
    static int parseStatus(String name, String text, String range, IntPredicate allowed) {
        String trimmed = text.trim();
        if (STATUS_CODE.matcher(trimmed).matches() && allowed.test(Integer.parseInt(trimmed))) {
            return Integer.parseInt(trimmed);
        }
        throw new IllegalArgumentException(message(name, text, range));
    }

    /**
     * The status mix rule: keys are failure statuses, weights finite and >= 0, at least one above 0.
     *
     * @param weights status code (as written) to weight (a Number, or text to parse)
     * @param shown the whole value as the operator wrote it, for the message
     */
    static StatusMix statusMix(String name, Map<String, ?> weights, String shown) {
        TreeMap<Integer, Double> checked = new TreeMap<>();
        try {
            for (Map.Entry<String, ?> entry : weights.entrySet()) {
                int status = parseStatus(name, entry.getKey(), STATUS_MIX_RANGE, FaultRules::isFailureStatus);
                double weight = entry.getValue() instanceof Number number ? number.doubleValue()
                        : entry.getValue() instanceof String text ? Double.parseDouble(text.trim())
                        : Double.NaN;
                if (!(weight >= 0 && weight < Double.POSITIVE_INFINITY) || checked.put(status, weight + 0.0) != null) {
                    throw new NumberFormatException();
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(message(name, shown, STATUS_MIX_RANGE));
        }
        // Each weight finite is not enough: their sum must be too, or every share would be 0 or NaN.
        double total = checked.values().stream().mapToDouble(Double::doubleValue).sum();
        if (!(total > 0 && total < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(message(name, shown, STATUS_MIX_RANGE));
        }
        return new StatusMix(checked);
    }

    /** The configuration's form of a status mix: {@code 500=3,503=1}. */
    public static StatusMix parseStatusMix(String name, String text) {
        Map<String, String> weights = new LinkedHashMap<>();
        for (String pair : text.split(",", -1)) {
            String[] statusAndWeight = pair.split("=", -1);
            if (statusAndWeight.length != 2 || weights.put(statusAndWeight[0].trim(), statusAndWeight[1]) != null) {
                throw new IllegalArgumentException(message(name, text, STATUS_MIX_RANGE));
            }
        }
        return statusMix(name, weights, text);
    }

    public static boolean parseFlag(String name, String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(trimmed);
        }
        throw new IllegalArgumentException(message(name, text, "true or false"));
    }

    /** How long a timed override or a scenario step lasts. */
    public static Duration parseFaultDuration(String name, String text) {
        Duration duration = Durations.parse(name, text, FAULT_DURATION_RANGE);
        if (duration.compareTo(Duration.ofMillis(1)) < 0 || duration.compareTo(MAX_FAULT_DURATION) > 0) {
            throw new IllegalArgumentException(message(name, text, FAULT_DURATION_RANGE));
        }
        return duration;
    }

    public static Duration parseStartupDelay(String name, String text) {
        Duration duration = Durations.parse(name, text, STARTUP_DELAY_RANGE);
        if (duration.isNegative() || duration.compareTo(MAX_STARTUP_DELAY) > 0) {
            throw new IllegalArgumentException(message(name, text, STARTUP_DELAY_RANGE));
        }
        return duration;
    }

}
