package org.acme.example.fault;

import org.acme.example.ExampleConfig;

/**
 * One complete, valid set of fault settings: requests read a whole snapshot, never half of an update. Every source
 * (the configuration, the fault file, {@code PUT /fault}, a scenario step, a request's parameters) ends up as one of
 * these, each field checked by {@link FaultRules} on the way in.
 *
 * @param failureRate probability that a request to {@code /example} fails on purpose
 * @param failureStatuses the status codes a failure is answered with
 * @param ready whether {@code /ready} may report UP
 * @param live whether {@code /live} may report UP
 * @param requestFaults whether a request's {@code status} and {@code delay} parameters force its outcome
 */
public record FaultSettings(double failureRate, StatusMix failureStatuses, long latencyMinMs, long latencyMaxMs,
        boolean ready, boolean live, boolean requestFaults) {

    /** The settings the configuration gives; each property was checked when it was read (FaultConverters). */
    public static FaultSettings fromConfig(ExampleConfig config) {
        long min = config.latency().min().toMillis();
        long max = config.latency().max().toMillis();
        FaultRules.requireOrderedLatency("example.latency.min", min, "example.latency.max", max);
        return new FaultSettings(config.failureRate(), config.failureStatuses(), min, max, true, true,
                config.requestFaults().enabled());
    }
}
