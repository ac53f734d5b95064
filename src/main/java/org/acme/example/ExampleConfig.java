package org.acme.example;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * Everything an operator can set for the example service, under the {@code example.} prefix.
 */
@ConfigMapping(prefix = "example")
public interface ExampleConfig {

    /**
     * Probability in [0, 1] that {@code GET /example} answers with a simulated failure (500).
     */
    @WithDefault("0.1")
    @WithConverter(FailureRateConverter.class)
    double failureRate();
}
