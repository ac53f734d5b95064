package org.acme.example;

import org.acme.example.fault.FailureRateConverter;
import org.acme.example.fault.FaultRules;
import org.acme.example.fault.LatencyConverter;
import org.acme.example.traffic.TrafficRateConverter;

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
     * Probability in [0, 1] that {@code GET /example} answers with a simulated failure (500).
     */
    @WithDefault("0.1")
    @WithConverter(FailureRateConverter.class)
    double failureRate();

    /**
     * Simulated latency: every answer of {@code /example} is delayed by a uniform random duration in [min, max].
     */
    Latency latency();

    /**
     * Runtime fault control ({@code PUT /fault} on the management port).
     */
    FaultControl faultControl();

    interface FaultControl {
        /**
         * When set, {@code PUT /fault} requires HTTP basic authentication as user {@code operator} with this
         * password; {@code GET /fault} and {@code /metrics} stay open.
         */
        Optional<String> password();
    }

    interface Latency {
        @WithDefault("0ms")
        @WithConverter(LatencyConverter.class)
        Duration min();

        @WithDefault("0ms")
        @WithConverter(LatencyConverter.class)
        Duration max();
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
