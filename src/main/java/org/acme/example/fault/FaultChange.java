package org.acme.example.fault;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings one source changes; {@code null} leaves a setting as it is. Made by a parse (JSON, a request's
 * parameters) and then checked once by {@link FaultRules#check}; overlaid on complete settings it gives the next
 * {@link FaultSettings}: the one way every change reaches the policy.
 * <p>
 * {@code latencyMin} and {@code latencyMax} are one setting: a change that names either is completed with the other's
 * current value ({@link #withLatencyPair}), so that they are always overridden, and end, together, and min <= max
 * holds whatever ends when.
 */
public record FaultChange(Double failureRate, StatusMix failureStatuses, Duration latencyMin, Duration latencyMax,
        Boolean ready, Boolean live, Boolean requestFaults, Saturation saturation) {

    public static final FaultChange NONE = new FaultChange(null, null, null, null, null, null, null, Saturation.NONE);

    /**
     * The saturation faults a change sets ({@link SaturationRules}); {@code null} leaves a setting as it is.
     *
     * @param memoryTarget bytes; @param memoryRate bytes per second
     */
    public record Saturation(Double cpuBurnCores, Long memoryTarget, Long memoryRate, Boolean allowOomKill,
            Double hangRate, Double resetRate, Duration crashAfter, Integer crashExitCode) {

        public static final Saturation NONE = new Saturation(null, null, null, null, null, null, null, null);

        Saturation only(String field) {
            return new Saturation(
                    field.equals(FaultJson.CPU_BURN_CORES) ? cpuBurnCores : null,
                    field.equals(FaultJson.MEMORY_TARGET) ? memoryTarget : null,
                    field.equals(FaultJson.MEMORY_RATE) ? memoryRate : null,
                    field.equals(FaultJson.ALLOW_OOM_KILL) ? allowOomKill : null,
                    field.equals(FaultJson.HANG_RATE) ? hangRate : null,
                    field.equals(FaultJson.RESET_RATE) ? resetRate : null,
                    field.equals(FaultJson.CRASH_AFTER) ? crashAfter : null,
                    field.equals(FaultJson.CRASH_EXIT_CODE) ? crashExitCode : null);
        }
    }

    /** A change of the saturation faults alone. */
    public static FaultChange of(Saturation saturation) {
        return new FaultChange(null, null, null, null, null, null, null, saturation);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /**
     * The latency pair made whole with the other bound's value in {@code current}, and checked: min <= max.
     *
     * @param prefix put before the JSON field names in a message, e.g. {@code "steps[2]."}
     */
    public FaultChange withLatencyPair(FaultSettings current, String prefix) {
        if (latencyMin == null && latencyMax == null) {
            return this;
        }
        Duration min = latencyMin != null ? latencyMin : Duration.ofMillis(current.latencyMinMs());
        Duration max = latencyMax != null ? latencyMax : Duration.ofMillis(current.latencyMaxMs());
        FaultRules.requireOrderedLatency(prefix + FaultJson.LATENCY_MIN, min.toMillis(), prefix + FaultJson.LATENCY_MAX,
                max.toMillis());
        return new FaultChange(failureRate, failureStatuses, min, max, ready, live, requestFaults, saturation);
    }

    /** This change's settings over {@code base}: no check, each change was checked and its latency pair made whole. */
    public FaultSettings overlay(FaultSettings base) {
        return new FaultSettings(
                failureRate != null ? failureRate : base.failureRate(),
                failureStatuses != null ? failureStatuses : base.failureStatuses(),
                latencyMin != null ? latencyMin.toMillis() : base.latencyMinMs(),
                latencyMax != null ? latencyMax.toMillis() : base.latencyMaxMs(),
                ready != null ? ready : base.ready(),
                live != null ? live : base.live(),
                requestFaults != null ? requestFaults : base.requestFaults(),
                saturation.cpuBurnCores() != null ? saturation.cpuBurnCores() : base.cpuBurnCores(),
                saturation.memoryTarget() != null ? saturation.memoryTarget() : base.memoryTargetBytes(),
                saturation.memoryRate() != null ? saturation.memoryRate() : base.memoryRateBytes(),
                saturation.allowOomKill() != null ? saturation.allowOomKill() : base.allowOomKill(),
                saturation.hangRate() != null ? saturation.hangRate() : base.hangRate(),
                saturation.resetRate() != null ? saturation.resetRate() : base.resetRate(),
                saturation.crashAfter() != null ? saturation.crashAfter() : base.crashAfter(),
                saturation.crashExitCode() != null ? saturation.crashExitCode() : base.crashExitCode());
    }

    /**
     * Applies the change to complete settings.
     *
     * @throws IllegalArgumentException when the latency pair it gives is not ordered
     */
    public FaultSettings applyTo(FaultSettings base, String prefix) {
        return withLatencyPair(base, prefix).overlay(base);
    }

    /** Whether this change sets the JSON field {@code field}. */
    public boolean sets(String field) {
        return byField().containsKey(field);
    }

    /** One change per setting it makes, by JSON field name (in the order of the JSON form): what expires on its own. */
    public Map<String, FaultChange> byField() {
        Map<String, FaultChange> fields = new LinkedHashMap<>();
        for (String field : FaultJson.SETTINGS) {
            FaultChange one = only(field);
            if (!one.isEmpty()) {
                fields.put(field, one);
            }
        }
        return fields;
    }

    /** The part of this change that sets the JSON field {@code field}: empty when it does not set it. */
    private FaultChange only(String field) {
        return new FaultChange(
                field.equals(FaultJson.FAILURE_RATE) ? failureRate : null,
                field.equals(FaultJson.FAILURE_STATUSES) ? failureStatuses : null,
                field.equals(FaultJson.LATENCY_MIN) ? latencyMin : null,
                field.equals(FaultJson.LATENCY_MAX) ? latencyMax : null,
                field.equals(FaultJson.READY) ? ready : null,
                field.equals(FaultJson.LIVE) ? live : null,
                field.equals(FaultJson.REQUEST_FAULTS) ? requestFaults : null,
                saturation.only(field));
    }

    /**
     * What a request's parameters force, when per-request faults are enabled: {@code status} (200, or a failure
     * status) and {@code delay} (a latency with a unit); null parameters force nothing.
     */
    public static FaultChange ofRequest(String status, String delay) {
        Double rate = null;
        StatusMix statuses = null;
        if (status != null) {
            int code = FaultRules.parseStatus("status", status, "200 or " + FaultRules.FAILURE_STATUS_RANGE,
                    allowed -> allowed == 200 || FaultRules.isFailureStatus(allowed));
            rate = code == 200 ? 0.0 : 1.0;
            statuses = code == 200 ? null : StatusMix.only(code);
        }
        Duration delayed = delay == null ? null : Duration.ofMillis(FaultRules.parseLatencyMs("delay", delay));
        return new FaultChange(rate, statuses, delayed, delayed, null, null, null, Saturation.NONE);
    }
}
