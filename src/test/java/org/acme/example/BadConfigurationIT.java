package org.acme.example;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An operator who sets an impossible failure rate gets a service that refuses to start and says why,
 * not one that quietly runs with some other rate.
 */
class BadConfigurationIT {

    @ParameterizedTest
    @ValueSource(strings = { "-0.1", "1.5", "NaN", "abc", "Infinity" })
    void anInvalidFailureRateStopsStartUp(String value) {
        try (PackagedApp app = PackagedApp.launch(Map.of("EXAMPLE_FAILURE_RATE", value))) {
            int exitCode = app.awaitExit(Duration.ofSeconds(60));
            String output = app.output();

            assertNotEquals(0, exitCode, output);
            assertThat(output, containsString("example.failure-rate must be a number in [0, 1], got '" + value + "'"));
        }
    }
}
