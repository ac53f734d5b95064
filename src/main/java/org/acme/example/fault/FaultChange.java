package org.acme.example.fault;

/**
 * The settings one source changes, each already checked by its rule in {@link FaultRules}; {@code null} leaves a
 * setting as it is. Applying it to complete settings checks what involves several fields (min <= max latency) and
 * gives the next {@link FaultSettings}: the one way every change reaches the policy.
 */
public record FaultChange(Double failureRate, StatusMix failureStatuses, Long latencyMinMs, Long latencyMaxMs,
        Boolean ready, Boolean live) {

    /**
     * @param prefix put before the JSON field names in a message, e.g. {@code "steps[2]."}
     * @throws IllegalArgumentException when the result is not allowed
     */
    public FaultSettings applyTo(FaultSettings base, String prefix) {
        long min = latencyMinMs != null ? latencyMinMs : base.latencyMinMs();
        long max = latencyMaxMs != null ? latencyMaxMs : base.latencyMaxMs();
        FaultRules.requireOrderedLatency(prefix + FaultJson.LATENCY_MIN, min, prefix + FaultJson.LATENCY_MAX, max);
        return new FaultSettings(
                failureRate != null ? failureRate : base.failureRate(),
                failureStatuses != null ? failureStatuses : base.failureStatuses(),
                min, max,
                ready != null ? ready : base.ready(),
                live != null ? live : base.live());
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
        Long delayMs = delay == null ? null : FaultRules.parseLatencyMs("delay", delay);
        return new FaultChange(rate, statuses, delayMs, delayMs, null, null);
    }
}
