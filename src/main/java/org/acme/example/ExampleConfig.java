package org.acme.example;

import org.acme.example.fault.FaultConverters;
import org.acme.example.fault.FaultRules;
import org.acme.example.fault.StatusMix;
import org.acme.example.traffic.TrafficRateConverter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * Everything an operator can set for the example service, under the {@code example.} prefix.
 * The allowed values are in {@link FaultRules}.
 */
@ConfigMapping(prefix = "example")
public interface ExampleConfig {

    /**
     * Probability in [0, 1] that {@code GET /example} answers with a simulated failure.
     */
    @WithDefault("0.1")
    @WithConverter(FaultConverters.FailureRate.class)
    double failureRate();

    /**
     * The status codes of simulated failures and their weights, e.g. {@code 500=3,503=1}.
     */
    @WithDefault("500=1")
    @WithConverter(FaultConverters.FailureStatuses.class)
    StatusMix failureStatuses();

    /**
     * Simulated latency: every answer of {@code /example} is delayed by a uniform random duration in [min, max].
     */
    Latency latency();

    /**
     * How long {@code /started} stays DOWN after start-up (a demo of startup probes).
     */
    @WithDefault("0s")
    @WithConverter(FaultConverters.StartupDelay.class)
    Duration startupDelay();

    Fault fault();

    RequestFaults requestFaults();

    /**
     * A deliberate crash at start-up, for a crash loop: the process exits with {@code exit-code} this long after it
     * starts. Needs the operator password, like a crash set at run time (the fault setting {@code crashAfter}).
     */
    Crash crash();

    interface Crash {
        /** Env: {@code EXAMPLE_CRASH_AFTER}, e.g. {@code 10s}; unset: no crash. */
        @WithConverter(FaultConverters.CrashAfter.class)
        Optional<Duration> after();

        /** Env: {@code EXAMPLE_CRASH_EXIT_CODE}, 1 to 255. */
        @WithDefault("1")
        int exitCode();
    }

    /**
     * Runtime fault control on the management port.
     */
    FaultControl faultControl();

    interface FaultControl {
        /**
         * When set, every change on the management port (any method but GET and HEAD) requires HTTP basic
         * authentication as user {@code operator} with this password; {@code GET /fault} and {@code /metrics} stay
         * open. Env: {@code EXAMPLE_FAULT_CONTROL_PASSWORD}, or its older alias {@code FAULT_CONTROL_PASSWORD}.
         */
        Optional<String> password();
    }

    interface Latency {
        @WithDefault("0ms")
        @WithConverter(FaultConverters.Latency.class)
        Duration min();

        @WithDefault("0ms")
        @WithConverter(FaultConverters.Latency.class)
        Duration max();
    }

    interface Fault {
        /**
         * A JSON file with the fields of {@code PUT /fault} ({@code for} excepted), applied on top of this
         * configuration as the baseline and re-read when it changes (a mounted ConfigMap, for the whole fleet).
         */
        Optional<Path> file();

        /**
         * How long one read of the fault file may take: a read that takes longer (a FIFO in its place, a hung network
         * mount) is abandoned, and the file counts as invalid until a read succeeds.
         */
        @WithDefault("3s")
        @WithConverter(FaultConverters.FileReadTimeout.class)
        Duration fileReadTimeout();
    }

    interface RequestFaults {
        /**
         * Whether {@code /example?status=503&delay=200ms} forces that request's outcome; off, the parameters are
         * ignored. The baseline of the fault setting {@code requestFaults}, which the fault file and
         * {@code PUT /fault} can change at run time.
         */
        @WithDefault("false")
        @WithConverter(FaultConverters.Flag.class)
        boolean enabled();
    }

    /**
     * The built-in traffic generator ({@code GET|PUT /traffic} on the management port).
     */
    Traffic traffic();

    interface Traffic {
        /**
         * Requests per second the service sends to its own {@code /example}; 0 (the default) sends none.
         */
        @WithDefault("0")
        @WithConverter(TrafficRateConverter.class)
        double rate();
    }
}
