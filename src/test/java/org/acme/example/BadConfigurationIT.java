package org.acme.example;

import org.acme.example.testing.PackagedApp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
                + "\"", "must be a duration of 0 to 60s in whole milliseconds, such as 50ms, got '" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = { "1001", "-1", "NaN", "often" })
    void anInvalidTrafficRateStopsStartUp(String value) {
        assertStartUpFails(Map.of("EXAMPLE_TRAFFIC_RATE", value),
                "example.traffic.rate must be a number of requests per second in [0, 1000], got '" + value + "'");
    }

    /** Quarkus would read a bare number as seconds: "200" would be 200 s where 200 ms was meant. */
    @Test
    void aLatencyWithoutAUnitStopsStartUpSayingAUnitIsNeeded() {
        assertStartUpFails(Map.of("EXAMPLE_LATENCY_MAX", "200"),
                "got '200': a unit is required, e.g. '200ms' or '200s'");
    }

    @ParameterizedTest
    @ValueSource(strings = { "EXAMPLE_LATENCY_MIN", "EXAMPLE_LATENCY_MAX", "EXAMPLE_FAILURE_RATE",
            "EXAMPLE_FAILURE_STATUSES", "EXAMPLE_STARTUP_DELAY", "EXAMPLE_REQUEST_FAULTS_ENABLED" })
    void anEmptyValueStopsStartUpNamingTheProperty(String variable) {
        String property = variable.toLowerCase().replace("example_", "example.").replace("latency_", "latency.")
                .replace("request_faults_", "request-faults.").replace('_', '-');
        assertStartUpFails(Map.of(variable, ""), "config property " + property + " with the config value \"\"");
    }

    @ParameterizedTest
    @ValueSource(strings = { "404=1", "500=0", "500=-1", "500", "500=1,500=2", "abc", "500=1;503=1" })
    void anInvalidStatusMixStopsStartUp(String value) {
        assertStartUpFails(Map.of("EXAMPLE_FAILURE_STATUSES", value),
                "example.failure-statuses must be weights (numbers >= 0, not all 0) of status codes 429 or 500 to 599,"
                        + " such as 500=3,503=1, got '" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = { "11m", "-1s", "soon" })
    void anInvalidStartUpDelayStopsStartUp(String value) {
        assertStartUpFails(Map.of("EXAMPLE_STARTUP_DELAY", value),
                "example.startup-delay must be a duration of 0 to 10 minutes, got '" + value + "'");
    }

    @Test
    void aSwitchThatIsNeitherTrueNorFalseStopsStartUp() {
        assertStartUpFails(Map.of("EXAMPLE_REQUEST_FAULTS_ENABLED", "ture"),
                "example.request-faults.enabled must be true or false, got 'ture'");
    }

    /** An empty password would silently mean "no authentication". */
    @ParameterizedTest
    @ValueSource(strings = { "FAULT_CONTROL_PASSWORD", "EXAMPLE_FAULT_CONTROL_PASSWORD" })
    void anEmptyPasswordStopsStartUp(String variable) {
        assertStartUpFails(Map.of(variable, ""),
                "example.fault-control.password (EXAMPLE_FAULT_CONTROL_PASSWORD, or its alias FAULT_CONTROL_PASSWORD) is set but empty (or blank)");
    }

    @Test
    void anInvalidFaultFileStopsStartUp(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("fault.json"), "{\"failureRate\": 2}");
        assertStartUpFails(Map.of("EXAMPLE_FAULT_FILE", file.toString()),
                "example.fault.file (" + file + ") is invalid: failureRate must be a number in [0, 1], got '2'");
        Files.writeString(file, "{\"failureRate\": 0.5, \"for\": \"1m\"}");
        assertStartUpFails(Map.of("EXAMPLE_FAULT_FILE", file.toString()),
                "example.fault.file (" + file + ") is invalid: unknown field 'for'");
        assertStartUpFails(Map.of("EXAMPLE_FAULT_FILE", dir.toString()),
                "example.fault.file (" + dir + ") is not a regular file but a directory: not read");
        // A syntax error is reported as one, with where it is, not as "must be a JSON object".
        Files.writeString(file, "{\"failureRate\": 0.5,\n \"ready\": false,}");
        assertStartUpFails(Map.of("EXAMPLE_FAULT_FILE", file.toString()), "example.fault.file (" + file + ") is invalid: "
                + "the file is not valid JSON: Unexpected character ('}' (code 125)): was expecting double-quote to start"
                + " field name at line 2, column 17");
        Files.writeString(file, "[{\"failureRate\": 0.5}]");
        assertStartUpFails(Map.of("EXAMPLE_FAULT_FILE", file.toString()), "0.5}, got an array"); // the log escapes quotes
    }

    @Test
    void aMinimumLatencyAboveTheMaximumStopsStartUp() {
        assertStartUpFails(Map.of("EXAMPLE_LATENCY_MIN", "50ms", "EXAMPLE_LATENCY_MAX", "10ms"),
                "example.latency.min (50ms) must not be greater than example.latency.max (10ms)");
    }

    @Test
    void aManagementPortEqualToTheHttpPortStopsStartUp() throws Exception {
        int port = PackagedApp.freePort();
        assertStartUpFails(Map.of("QUARKUS_HTTP_PORT", String.valueOf(port), "QUARKUS_MANAGEMENT_PORT", String.valueOf(port)),
                "quarkus.management.port must differ from quarkus.http.port, both are " + port);
    }

    @ParameterizedTest
    @CsvSource({
            "EXAMPLE_HTTP_MAX_CONNECTIONS, 0, example.http.max-connections",
            "EXAMPLE_HTTP_MANAGEMENT_MAX_CONNECTIONS, -1, example.http.management-max-connections" })
    void aConnectionLimitBelowOneStopsStartUp(String variable, String value, String property) {
        assertStartUpFails(Map.of(variable, value), property + " must be a whole number of at least 1, got '" + value + "'");
    }

    @ParameterizedTest
    @CsvSource({
            "EXAMPLE_HTTP_MAX_HEADER_LINES, 0, example.http.max-header-lines must be a whole number from 1 to 10000, got '0'",
            "EXAMPLE_HTTP_UNFINISHED_HEADS_MEMORY, 1K, example.http.unfinished-heads-memory must be a size from 64K to 1G"
                    + " (bytes, or with a unit K, M, G), got '1024'" })
    void anInvalidRequestHeadLimitStopsStartUp(String variable, String value, String message) {
        assertStartUpFails(Map.of(variable, value), message);
    }

    @ParameterizedTest
    @ValueSource(strings = { "0s", "50ms", "2m", "soon" })
    void anInvalidRequestHeadTimeoutStopsStartUp(String value) {
        assertStartUpFails(Map.of("EXAMPLE_HTTP_REQUEST_HEAD_TIMEOUT", value),
                "example.http.request-head-timeout must be a duration from 100ms to 60s (such as 10s), got '" + value + "'");
    }

    private static void assertStartUpFails(Map<String, String> env, String... messages) {
        try (PackagedApp app = PackagedApp.launch(env)) {
            int exitCode = app.awaitExit(Duration.ofSeconds(60));
            String output = app.output();

            assertNotEquals(0, exitCode, output);
            for (String message : messages) {
                assertThat(output, containsString(message));
            }
        }
    }
}
