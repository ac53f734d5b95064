package org.acme.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import org.acme.example.testing.HostileClients;
import org.acme.example.testing.HttpLoad;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.ProductionOptions;
import org.acme.example.testing.ScrapedMetrics;
import org.junit.jupiter.api.Test;

/**
 * No client can crash it. Each test starts the packaged service with the memory settings the images ship (heap at half
 * of the 256 MiB container limit, exit on OutOfMemoryError: {@link ProductionOptions}), attacks it for a few seconds
 * from loopback as a hostile client would, and checks that
 * <ul>
 * <li>the process is still alive, and its peak RSS stayed below the container limit;</li>
 * <li>a client that was there before the attack kept being answered during it, each answer within
 * {@link #BYSTANDER_BOUND};</li>
 * <li>afterwards, {@code /live} answers within a second on a new connection.</li>
 * </ul>
 * Before the limits (2026-11-25), each of these attacks ended the process with OutOfMemoryError.
 */
class AbusiveClientsIT {

    static final Duration BYSTANDER_BOUND = Duration.ofSeconds(2);
    /** How often the bystander asks: enough to notice a stall, little enough to leave the CPU to the attack. */
    static final Duration BYSTANDER_PACE = Duration.ofMillis(20);

    @Test
    void unfinishedRequestHeadsAreCappedAndTimedOut() throws Exception {
        int cap = 512;
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0", "EXAMPLE_HTTP_REQUEST_HEAD_TIMEOUT", "3s",
                "EXAMPLE_HTTP_MAX_CONNECTIONS", String.valueOf(cap)))) {
            survives(app, "/example", () -> {
                // 100 more than the cap, each with 7.5 KiB of header lines (just under the 8 KiB limit), never ended.
                try (HostileClients.Connections heads = HostileClients.unfinishedHeads(app.httpPort(), cap + 100, 7_500)) {
                    Map<String, Integer> held = heads.outcomes();
                    assertTrue(held.getOrDefault("open", 0) <= cap - 1, () -> "more than the cap held: " + held);
                    // From one address, the newcomers beyond the cap replace that address's own oldest heads.
                    ScrapedMetrics metrics = ScrapedMetrics.scrape(app);
                    double refusedOrReplaced = metrics.require("example_connections_refused_total{port=\"http\"}")
                            + metrics.require("example_connections_evicted_total{port=\"http\"}");
                    assertTrue(refusedOrReplaced >= 100,
                            "connections beyond the cap refused at accept, or given an unfinished head's slot: "
                                    + refusedOrReplaced);
                    Map<String, Integer> timedOut = Poll.until("every unfinished head to get 408", Duration.ofSeconds(20),
                            () -> heads.outcomes().containsKey("open") ? null : heads.outcomes(), heads::toString);
                    assertTrue(timedOut.getOrDefault("HTTP/1.1 408 Request Timeout", 0) >= cap - 100,
                            () -> "heads still unfinished after the timeout were answered 408: " + timedOut);
                }
            });
        }
    }

    /**
     * Silent connections are answered 408 after the head timeout, and counted. A kept-alive connection whose request's
     * body came after its answer is not silent: it waits for its next request under the keep-alive timeout (30 s),
     * and is neither closed nor counted at the head timeout (before 2026-12-05, it was: 408, a head refused). One
     * whose next head began before its answer was out is not idle: that head is due within the head timeout
     * (before, the keep-alive timeout closed it 30 s later without an answer).
     */
    @Test
    void silentConnectionsAreClosedOnBothPorts() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0", "EXAMPLE_HTTP_REQUEST_HEAD_TIMEOUT", "2s"))) {
            survives(app, "/example", () -> {
                try (Socket mainKeptAlive = HostileClients.bodyAfterItsAnswer(app.httpPort(), "/example");
                        Socket managementKeptAlive = HostileClients.bodyAfterItsAnswer(app.managementPort(), "/fault");
                        Socket mainNextHead = HostileClients.nextHeadUnfinished(app.httpPort(), "/example");
                        Socket managementNextHead = HostileClients.nextHeadUnfinished(app.managementPort(), "/fault");
                        HostileClients.Connections main = HostileClients.silent(app.httpPort(), 100);
                        HostileClients.Connections management = HostileClients.silent(app.managementPort(), 30)) {
                    Thread.sleep(1_000);
                    assertEquals(Map.of("open", 100), main.outcomes(), "within the head timeout, nothing happens");
                    for (HostileClients.Connections connections : new HostileClients.Connections[] { main, management }) {
                        Poll.until("silent connections to be answered 408", Duration.ofSeconds(10),
                                () -> connections.outcomes().containsKey("open") ? null : true, connections::toString);
                        assertFalse(connections.outcomes().keySet().stream()
                                .anyMatch(outcome -> !outcome.equals("HTTP/1.1 408 Request Timeout")),
                                () -> "every silent connection gets 408: " + connections.outcomes());
                    }
                    // Over 2 s after their bodies, as the silent connections were answered.
                    assertEquals("HTTP/1.1 200 OK", HostileClients.askAgain(mainKeptAlive, "/example"));
                    assertEquals("HTTP/1.1 200 OK", HostileClients.askAgain(managementKeptAlive, "/fault"));
                    assertEquals("HTTP/1.1 408 Request Timeout", HostileClients.nextAnswer(mainNextHead));
                    assertEquals("HTTP/1.1 408 Request Timeout", HostileClients.nextAnswer(managementNextHead));
                }
                ScrapedMetrics metrics = ScrapedMetrics.scrape(app);
                // The silent connections, and the one whose next head was not finished in time, on each port.
                assertEquals(101, metrics.require("example_request_heads_refused_total{port=\"http\",reason=\"timeout\"}"));
                assertEquals(31, metrics.require("example_request_heads_refused_total{port=\"management\","
                        + "reason=\"timeout\"}"));
                // A timeout alone is not news (a browser leaves a connection unused); 20 or more in 10 s are.
                for (String port : new String[] { "http", "management" }) {
                    Pattern flood = Pattern.compile("Request heads refused on the " + port + " port: \\d+ heads not"
                            + " complete within 2s answered 408 in the last 10 s; most from 127\\.0\\.0\\.1");
                    Poll.until("the " + port + " port's timeouts to be logged", Duration.ofSeconds(15),
                            () -> flood.matcher(app.output()).find() ? true : null, app::output);
                }
            });
        }
    }

    @Test
    void http2IsRefusedOnBothPorts() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0"))) {
            survives(app, "/example", () -> {
                for (int port : new int[] { app.httpPort(), app.managementPort() }) {
                    // Thousands of streams, each asking for a scrape or an answer, with 4 KiB of headers, never ended.
                    String path = port == app.managementPort() ? "/metrics" : "/example";
                    assertEquals("closed", HostileClients.http2StreamFlood(port, path, 5_000, 4_000, false),
                            "the HTTP/2 connection preface closes the connection on port " + port);
                    String upgraded = HostileClients.http2StreamFlood(port, path, 5_000, 4_000, true);
                    assertEquals("HTTP/1.1 200 OK", upgraded,
                            "a request asking for an upgrade to h2c is answered in HTTP/1.1 on port " + port);
                }
                ScrapedMetrics metrics = ScrapedMetrics.scrape(app);
                for (String port : new String[] { "http", "management" }) {
                    assertEquals(1, metrics.require("example_request_heads_refused_total{port=\"" + port
                            + "\",reason=\"http2\"}"), port);
                    assertTrue(app.output().contains("Request heads refused on the " + port
                            + " port: an HTTP/2 connection preface from 127.0.0.1 (closed)"), app::output);
                }
            });
        }
    }

    @Test
    void requestsAbandonedDuringTheirLatencyLeaveNothingBehind() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0",
                "EXAMPLE_LATENCY_MIN", "60s", "EXAMPLE_LATENCY_MAX", "60s"))) {
            // Every /example now takes a minute by design; the bystander asks for /live instead.
            survives(app, "/live", () -> {
                int abandoned = HostileClients.abandonedRequests(app.httpPort(), "/example", 300, Duration.ofSeconds(5),
                        Duration.ofMillis(20));
                assertTrue(abandoned > 1_000, "requests sent and abandoned: " + abandoned);
                // Without the cancellation, each would wait for its timer for the rest of the minute.
                Poll.until("the abandoned requests to be let go", Duration.ofSeconds(5),
                        () -> delayed(app) == 0 ? true : null, () -> "still delayed: " + delayed(app));
            });
        }
    }

    @Test
    void requestsWaitingForSlowAnswersAreBounded() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0",
                "EXAMPLE_LATENCY_MIN", "60s", "EXAMPLE_LATENCY_MAX", "60s"))) {
            survives(app, "/live", () -> {
                // The most the main port holds: every connection with as many requests waiting as allowed (4), each
                // with a head just under the 8 KiB limit; and some that send one more request than that.
                try (HostileClients.Connections full = HostileClients.pipelined(app.httpPort(), "/example", 480, 4, 8_000);
                        HostileClients.Connections over = HostileClients.pipelined(app.httpPort(), "/example", 20, 5, 8_000)) {
                    Poll.until("the connections with 5 requests waiting to be closed", Duration.ofSeconds(10),
                            () -> over.outcomes().equals(Map.of("closed", 20)) ? true : null, over::toString);
                    assertEquals(Map.of("open", 480), full.outcomes(), "4 requests waiting are allowed");
                }
                assertEquals(20, ScrapedMetrics.scrape(app).require("example_request_heads_refused_total{port=\"http\","
                        + "reason=\"pipelined\"}"));
                assertTrue(app.output().contains("Request heads refused on the http port: a request beyond 4 waiting"
                        + " for their answers from 127.0.0.1 (closed)"), app::output);
            });
        }
    }

    @Test
    void largeBodiesOnTheManagementPortAreNotRead() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0", "FAULT_CONTROL_PASSWORD", "open-sesame"))) {
            survives(app, "/example", () -> {
                String json = "Content-Type: application/json\r\n";
                String operator = "Authorization: Basic b3BlcmF0b3I6b3Blbi1zZXNhbWU=\r\n";
                long tenMegabytes = 10L * 1024 * 1024;
                for (boolean chunked : new boolean[] { false, true }) {
                    assertEquals(Map.of("HTTP/1.1 401 Unauthorized", 16), HostileClients.largeBodies(app.managementPort(),
                            "PUT", "/fault", 16, tenMegabytes, chunked, json), "without credentials, chunked " + chunked);
                    assertEquals(Map.of("HTTP/1.1 413 Request Entity Too Large", 16),
                            HostileClients.largeBodies(app.managementPort(), "PUT", "/fault", 16, tenMegabytes, chunked,
                                    json + operator),
                            "with credentials, chunked " + chunked);
                    assertEquals(Map.of("HTTP/1.1 401 Unauthorized", 16), HostileClients.largeBodies(app.managementPort(),
                            "POST", "/metrics", 16, tenMegabytes, chunked, ""), "any change needs the credentials");
                }
            });
            // Credentials are checked before any of the body is read: the answer comes while the body is not sent.
            assertEquals("HTTP/1.1 401 Unauthorized", HostileClients.headOnly(app.managementPort(),
                    "PUT /fault HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"));
        }
    }

    @Test
    void clientsThatDoNotReadTheirAnswersAreBounded() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0"))) {
            survives(app, "/example", () -> {
                // Six clients pipeline 3000 scrapes each and read nothing; six do the same with /example.
                try (HostileClients.Connections scrapes = HostileClients.unreadPipelined(app.managementPort(), "/metrics",
                        6, 3_000, Duration.ofSeconds(5));
                        HostileClients.Connections examples = HostileClients.unreadPipelined(app.httpPort(), "/example",
                                6, 100_000, Duration.ofSeconds(5))) {
                    // Each connection is closed once more than 16 requests wait for answers it does not read.
                    Poll.until("the pipelining clients to be closed", Duration.ofSeconds(10),
                            () -> closedOrAnswered(scrapes) && closedOrAnswered(examples) ? true : null,
                            () -> scrapes.outcomes() + " " + examples.outcomes());
                }
            });
        }
    }

    private static boolean closedOrAnswered(HostileClients.Connections connections) {
        return !connections.outcomes().containsKey("open");
    }

    private static double delayed(PackagedApp app) {
        return ScrapedMetrics.scrape(app).require("example_requests_delayed");
    }

    interface Attack {
        void run() throws Exception;
    }

    /** Runs the attack while a client that connected before it keeps asking for {@code path}, then checks the service. */
    private static void survives(PackagedApp app, String path, Attack attack) throws Exception {
        String request = HttpLoad.get(app.httpPort(), path);
        HttpLoad bystander = new HttpLoad("127.0.0.1", app.httpPort(), 1, () -> {
            LockSupport.parkNanos(BYSTANDER_PACE.toNanos());
            return request;
        }).startUnbounded();
        try {
            Poll.until("the bystander's first answer", Duration.ofSeconds(10),
                    () -> bystander.result().answered() > 0 ? true : null, bystander.result()::toString);
            attack.run();
        } finally {
            bystander.stop();
        }
        HttpLoad.Result seen = bystander.awaitThreads();
        assertTrue(app.process().isAlive(), () -> "the service died:\n" + app.output());
        assertEquals(0, seen.errors(), () -> "the bystander saw errors: " + seen);
        assertEquals(seen.answered(), seen.count(200), () -> "the bystander got answers other than 200: " + seen);
        assertTrue(seen.slowest().compareTo(BYSTANDER_BOUND) <= 0,
                () -> "the bystander waited " + seen.slowest().toMillis() + " ms for an answer: " + seen);
        long peak = app.peakRssBytes();
        assertTrue(peak < ProductionOptions.CONTAINER_MEMORY_BYTES,
                () -> "peak RSS " + peak / (1024 * 1024) + " MiB, at or above the container limit");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpResponse<String> live = client.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/live"))
                .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, live.statusCode(), live::body);
        System.out.printf("%s: peak RSS %d MiB; bystander %s, slowest %d ms%n", AbusiveClientsIT.class.getSimpleName(),
                peak / (1024 * 1024), seen, seen.slowest().toMillis());
        assertFalse(app.output().contains("OutOfMemoryError"), app::output);
    }
}
