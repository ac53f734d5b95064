package org.acme.example;

import org.acme.example.testing.PackagedApp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An operator who sets an impossible value gets a service that refuses to start and says why, not one that
 * quietly runs with some other value.
 */
class BadConfigurationIT {

    @ParameterizedTest
    @ValueSource(strings = { "-0.1", "1.5", "NaN", "abc", "Infinity" })
    void anInvalidFailureRateStopsStartUp(String value) {
        assertStartUpFails(Map.of("EXAMPLE_FAILURE_RATE", value),
                "example.failure-rate must be a number in [0, 1], got '" + value + "'");
    }

    @ParameterizedTest
    @CsvSource({
            "EXAMPLE_LATENCY_MIN, -5ms, example.latency.min",
            "EXAMPLE_LATENCY_MAX, 2m, example.latency.max",
            "EXAMPLE_LATENCY_MAX, 1.5ms, example.latency.max",
            "EXAMPLE_LATENCY_MAX, soon, example.latency.max" })
    void anInvalidLatencyStopsStartUp(String variable, String value, String property) {
        assertStartUpFails(Map.of(variable, value), "config property " + property + " with the config value \"" + value
                + "\"");
        assertStartUpFails(Map.of(variable, value),
                "must be a duration of 0 to 60000 whole milliseconds, got '" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = { "1001", "-1", "NaN", "often" })
    void anInvalidTrafficRateStopsStartUp(String value) {
        assertStartUpFails(Map.of("EXAMPLE_TRAFFIC_RATE", value),
                "example.traffic.rate must be a number of requests per second in [0, 1000], got '" + value + "'");
    }

    @Test
    void aMinimumLatencyAboveTheMaximumStopsStartUp() {
        assertStartUpFails(Map.of("EXAMPLE_LATENCY_MIN", "50ms", "EXAMPLE_LATENCY_MAX", "10ms"),
                "example.latency.min (50 ms) must not be greater than example.latency.max (10 ms)");
    }

    @Test
    void aManagementPortEqualToTheHttpPortStopsStartUp() throws Exception {
        int port = PackagedApp.freePort();
        assertStartUpFails(Map.of("QUARKUS_HTTP_PORT", String.valueOf(port), "QUARKUS_MANAGEMENT_PORT", String.valueOf(port)),
                "quarkus.management.port must differ from quarkus.http.port, both are " + port);
    }

    @ParameterizedTest
    @CsvSource({
            "QUARKUS_HTTP_LIMITS_MAX_CONNECTIONS, 0, quarkus.http.limits.max-connections",
            "QUARKUS_MANAGEMENT_LIMITS_MAX_CONNECTIONS, -1, quarkus.management.limits.max-connections" })
    void aConnectionLimitBelowOneStopsStartUp(String variable, String value, String property) {
        assertStartUpFails(Map.of(variable, value), property + " must be a whole number of at least 1, got '" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = { "0s", "50ms", "2m", "soon" })
    void anInvalidRequestHeadTimeoutStopsStartUp(String value) {
        assertStartUpFails(Map.of("EXAMPLE_HTTP_REQUEST_HEAD_TIMEOUT", value),
                "example.http.request-head-timeout must be a duration from 100ms to 60s (such as 10s), got '" + value + "'");
    }

    private static void assertStartUpFails(Map<String, String> env, String message) {
        try (PackagedApp app = PackagedApp.launch(env)) {
            int exitCode = app.awaitExit(Duration.ofSeconds(60));
            String output = app.output();

            assertNotEquals(0, exitCode, output);
            assertThat(output, containsString(message));
        }
    }
}
