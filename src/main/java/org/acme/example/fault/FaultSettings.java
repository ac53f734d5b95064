package org.acme.example.fault;

import org.acme.example.ExampleConfig;

import java.time.Duration;

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
 * @param cpuBurnCores cores kept busy on purpose (0: none)
 * @param memoryTargetBytes memory held on purpose, reached at {@code memoryRateBytes} a second (0: none)
 * @param allowOomKill whether the memory held may pass the limit (else growth stops short of it)
 * @param hangRate share of {@code /example} requests held unanswered
 * @param resetRate share of {@code /example} connections closed with a TCP reset
 * @param crashAfter the process exits with {@code crashExitCode} this long after the setting takes effect (null: never)
 */
public record FaultSettings(double failureRate, StatusMix failureStatuses, long latencyMinMs, long latencyMaxMs,
        boolean ready, boolean live, boolean requestFaults, double cpuBurnCores, long memoryTargetBytes,
        long memoryRateBytes, boolean allowOomKill, double hangRate, double resetRate, Duration crashAfter,
        int crashExitCode) {

    /** The settings the configuration gives; each property was checked when it was read (FaultConverters). */
    public static FaultSettings fromConfig(ExampleConfig config) {
        long min = config.latency().min().toMillis();
        long max = config.latency().max().toMillis();
        FaultRules.requireOrderedLatency("example.latency.min", min, "example.latency.max", max);
        Duration crashAfter = config.crash().after().map(after -> SaturationRules.crashAfter("example.crash.after", after))
                .orElse(null);
        int exitCode = SaturationRules.exitCode("example.crash.exit-code", config.crash().exitCode());
        FaultSettings settings = new FaultSettings(config.failureRate(), config.failureStatuses(), min, max, true, true,
                config.requestFaults().enabled(), 0, 0, SaturationRules.DEFAULT_RATE, false, 0, 0, crashAfter, exitCode);
        SaturationRules.authorize(settings, config.faultControl().password().isPresent(), "example.crash.after");
        return settings;
    }
}
