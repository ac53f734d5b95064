package org.acme.example.fault;

import org.acme.example.ExampleConfig;

/**
 * One consistent set of fault settings: requests read a whole snapshot, never half of an update.
 */
public record FaultSettings(double failureRate, long latencyMinMs, long latencyMaxMs) {

    static FaultSettings fromConfig(ExampleConfig config) {
        // Each bound was checked when it was read (LatencyConverter); only their order is left to check.
        long min = config.latency().min().toMillis();
        long max = config.latency().max().toMillis();
        FaultRules.requireOrderedLatency("example.latency.min", min, "example.latency.max", max);
        return new FaultSettings(config.failureRate(), min, max);
    }
}
