package org.acme.example;

import org.acme.example.testing.PackagedApp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A port that another process holds at start-up: the service stops, and its one ERROR line names the port and the
 * property that sets it, whichever port it is and whichever network transport serves it (with Java NIO Quarkus
 * recognises the failure itself; with epoll, the default on Linux, it does not). No other ERROR follows or precedes
 * it, such as a component that notices the half-started service going away.
 */
class BusyPortIT {

    private static final Pattern ERROR_LINE = Pattern.compile("\"level\":\"ERROR\"");

    @ParameterizedTest
    @CsvSource({
            "QUARKUS_HTTP_PORT, quarkus.http.port, true",
            "QUARKUS_MANAGEMENT_PORT, quarkus.management.port, true",
            "QUARKUS_HTTP_PORT, quarkus.http.port, false",
            "QUARKUS_MANAGEMENT_PORT, quarkus.management.port, false" })
    void aBusyPortStopsStartUpNamingThePortAndItsProperty(String variable, String property, boolean epoll) throws IOException {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                PackagedApp app = PackagedApp.launch(Map.of(variable, String.valueOf(other.getLocalPort()),
                        "QUARKUS_VERTX_PREFER_NATIVE_TRANSPORT", String.valueOf(epoll)))) {
            int exitCode = app.awaitExit(Duration.ofSeconds(60));
            String output = app.output();

            assertNotEquals(0, exitCode, output);
            assertThat(output, containsString("\"message\":\"Failed to start application: port " + other.getLocalPort()
                    + " (" + property + ", " + variable + ") on 127.0.0.1 is already in use by another process"));
            Matcher errors = ERROR_LINE.matcher(output);
            int count = 0;
            while (errors.find()) {
                count++;
            }
            assertEquals(1, count, "ERROR lines:\n" + output);
        }
    }
}
