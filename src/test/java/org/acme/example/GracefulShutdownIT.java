package org.acme.example;

import org.acme.example.http.ConnectionDrain;
import org.acme.example.testing.HttpLoad;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.ScrapedMetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM under load (32 keep-alive connections), with the production shutdown settings from
 * {@code application.properties}: readiness turns DOWN at once, every request sent after SIGTERM is answered in
 * full (no reset, no truncated answer, no connection closed under a request) until connecting is refused, and the
 * process exits within delay + timeout.
 * <p>
 * The clients ignore readiness: they reconnect after every {@code Connection: close} until the port refuses them.
 * A load-balancer stops sooner; these clients are the hard case for the end of the delay (see
 * {@link ConnectionDrain}).
 */
class GracefulShutdownIT {

    static final int CONNECTIONS = 32;
    /**
     * Readiness is polled every 50 ms; DOWN must be seen within this time after SIGTERM: well inside the delay
     * (it is seen after about 0.1 s; the margin is for a busy machine).
     */
    static final Duration READINESS_DOWN_WITHIN = Duration.ofSeconds(3);
    /** JVM exit after Quarkus stopped, on a busy 2-core machine. */
    static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

    /** The production shutdown settings, from application.properties. */
    static String delayText;
    static Duration delay;
    static Duration timeout;

    @BeforeAll
    static void readShutdownSettings() throws IOException {
        Properties config = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            config.load(in);
        }
        delayText = config.getProperty("quarkus.shutdown.delay");
        delay = seconds(delayText);
        timeout = seconds(config.getProperty("quarkus.shutdown.timeout"));
    }

    @Test
    void sigtermUnderLoadLosesNoRequest() throws Exception {
        assertTrue(delay.compareTo(ConnectionDrain.HOLD.plus(ConnectionDrain.ANSWER_TIME).multipliedBy(2)) >= 0,
                "delay too short to test: " + delay);

        PackagedApp app = PackagedApp.start(Map.of(
                "EXAMPLE_FAILURE_RATE", "0",
                PackagedApp.SHUTDOWN_DELAY_ENV, delayText));
        try (app) {
            assertEquals(200, status(app, "/ready"));
            HttpLoad load = HttpLoad.get(app.httpPort(), "/example", CONNECTIONS).startUnbounded();
            awaitAnswers(load, 1000);
            long answeredBefore = load.result().answered();

            long sigterm = System.nanoTime();
            app.process().destroy(); // SIGTERM

            long readyDownAfter = awaitReadinessDown(app) - sigterm;
            // Every connection's thread ends when connecting is refused.
            HttpLoad.Result result = load.awaitThreads();
            Duration refusedAfter = Duration.ofNanos(System.nanoTime() - sigterm);
            long answeredAfter = result.answered() - answeredBefore;

            int exitCode = app.awaitExit(delay.plus(timeout).plus(EXIT_MARGIN));
            Duration exitedAfter = Duration.ofNanos(System.nanoTime() - sigterm);
            System.out.printf("GracefulShutdownIT: readiness DOWN %d ms after SIGTERM; %d answers after SIGTERM; "
                    + "refused after %d ms; exit %d after %d ms (delay %s, timeout %s); %s%n",
                    readyDownAfter / 1_000_000, answeredAfter, refusedAfter.toMillis(), exitCode,
                    exitedAfter.toMillis(), delay, timeout, result);
            app.output().lines().filter(line -> line.contains("ConnectionDrain") || line.contains("HTTP requests"))
                    .forEach(line -> System.out.println("GracefulShutdownIT: service log: " + line));

            assertTrue(readyDownAfter < READINESS_DOWN_WITHIN.toNanos(), "readiness turned DOWN too late");
            assertEquals(0, result.errors(), () -> "client errors during shutdown: " + result);
            assertEquals(result.answered(), result.count(200), () -> "only 200 expected: " + result);
            assertEquals(CONNECTIONS, result.refused.sum(), () -> "each connection should end refused: " + result);
            assertTrue(refusedAfter.compareTo(delay.minus(ConnectionDrain.ANSWER_TIME)) >= 0,
                    "connections refused before the delay's end: after " + refusedAfter);
            assertTrue(answeredAfter > 0, "no request answered during the shutdown delay");
            assertTrue(result.connectionClose.sum() > 0,
                    () -> "answers during the delay should close their connection: " + result);
            assertTrue(List.of(0, 143).contains(exitCode), "exit code " + exitCode);
            assertTrue(exitedAfter.compareTo(delay.plus(timeout).plus(EXIT_MARGIN)) < 0, "exit took " + exitedAfter);
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", app.httpPort()).close(),
                    "the port should refuse connections once the process is gone");
        }
    }

    @Test
    void aSlowRequestStillInFlightWhenTheDelayEndsIsAnswered() throws Exception {
        // Sent before SIGTERM, answered after the delay, well within the timeout.
        Duration latency = delay.plus(Duration.ofSeconds(2));
        assertTrue(latency.compareTo(delay.plus(timeout).minus(Duration.ofSeconds(2))) <= 0,
                "timeout too short to test: " + timeout);
        String latencyText = latency.toMillis() + "ms";

        PackagedApp app = PackagedApp.start(Map.of(
                "EXAMPLE_FAILURE_RATE", "0",
                "EXAMPLE_LATENCY_MIN", latencyText,
                "EXAMPLE_LATENCY_MAX", latencyText,
                PackagedApp.SHUTDOWN_DELAY_ENV, delayText));
        try (app) {
            HttpClient client = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> answer = client.sendAsync(
                    HttpRequest.newBuilder(URI.create(app.baseUrl() + "/example"))
                            .timeout(latency.plus(timeout)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, String> mainPort = Map.of("server_port", String.valueOf(app.httpPort()));
            assertEquals(1.0, ScrapedMetrics.awaitValue(app, "http_server_active_requests", mainPort, 1)
                    .value("http_server_active_requests", mainPort), "the slow request never arrived");

            long sigterm = System.nanoTime();
            app.process().destroy(); // SIGTERM
            HttpResponse<String> response = answer.get(latency.plus(timeout).toMillis(), TimeUnit.MILLISECONDS);
            Duration answeredAfter = Duration.ofNanos(System.nanoTime() - sigterm);
            int exitCode = app.awaitExit(delay.plus(timeout).plus(EXIT_MARGIN));
            System.out.printf("GracefulShutdownIT: %s request answered %d ms after SIGTERM (delay %s, timeout %s)%n",
                    latency, answeredAfter.toMillis(), delay, timeout);

            assertEquals(200, response.statusCode());
            assertEquals("ok\n", response.body());
            assertTrue(answeredAfter.compareTo(delay) > 0, "answered before the delay ended: " + answeredAfter);
            assertTrue(List.of(0, 143).contains(exitCode), "exit code " + exitCode);
        }
    }

    /**
     * Without a shutdown delay (as in dev and test modes), Quarkus closes both ports at once. Clients that connect
     * meanwhile are closed on quietly: before, about 5 shutdowns in 6 of a service that clients kept connecting to
     * logged Netty's "Failed to register an accepted channel" warning with a stack trace, once per connection.
     */
    @Test
    void clientsConnectingWhileTheServiceStopsLeaveNoWarningInTheLog() throws Exception {
        PackagedApp app = PackagedApp.start(Map.of(PackagedApp.SHUTDOWN_DELAY_ENV, "0s"));
        try (app) {
            // A new connection for every request, until connecting is refused.
            List<HttpLoad> loads = List.of(app.httpPort(), app.managementPort()).stream()
                    .map(port -> new HttpLoad("127.0.0.1", port, 8,
                            () -> "GET /live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").startUnbounded())
                    .toList();
            loads.forEach(load -> awaitAnswers(load, 200));

            app.process().destroy(); // SIGTERM
            int exitCode = app.awaitExit(timeout.plus(EXIT_MARGIN));
            List<HttpLoad.Result> results = loads.stream().map(HttpLoad::awaitThreads).toList();

            assertTrue(List.of(0, 143).contains(exitCode), "exit code " + exitCode);
            List<String> warnings = app.output().lines()
                    .filter(line -> line.contains("io.netty") || line.contains("accepted channel")).toList();
            assertEquals(List.of(), warnings, () -> "clients: " + results);
        }
    }

    /** Returns System.nanoTime() when /ready first answered 503. */
    private static long awaitReadinessDown(PackagedApp app) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (status(app, "/ready") == 503) {
                return System.nanoTime();
            }
            sleep(Duration.ofMillis(50));
        }
        throw new AssertionError("readiness never turned DOWN");
    }

    private static int status(PackagedApp app, String path) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            return client.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitAnswers(HttpLoad load, long answers) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (load.result().answered() < answers) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("load did not start: " + load.result());
            }
            sleep(Duration.ofMillis(10));
        }
    }

    /** Reads Quarkus' simple duration form used in application.properties: {@code 5s} or {@code 500ms}. */
    static Duration seconds(String value) {
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        return Duration.ofSeconds(Long.parseLong(value.replaceFirst("s$", "")));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
