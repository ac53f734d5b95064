package org.acme.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.acme.example.testing.HostileClients;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.ProductionOptions;
import org.acme.example.testing.ScrapedMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What request heads being received may hold is bounded by their number of header lines and, all together, by a
 * memory budget, not only by their size: Netty keeps each header line of an unfinished head decoded, about 100 bytes
 * of heap for a 4-byte line ({@code a:}). Before the bounds (2026-12-04, production options), 575 heads of ~2000 such
 * lines within the 8 KiB head limit, on both ports, filled 95% of the 128 MiB heap and took the process to 250 MiB
 * RSS; heads that stayed unfinished were held until the head timeout.
 * <p>
 * One start of the packaged service for the class, with a small budget for the unfinished heads (2 MiB).
 */
class UnfinishedHeadsIT {

    static final int MAX_HEADER_LINES = 100;
    static final long BUDGET = 2L * 1024 * 1024;
    static final String TOO_MANY_LINES = "HTTP/1.1 431 Request Header Fields Too Large";
    static final String NO_MEMORY = "HTTP/1.1 503 Service Unavailable";

    static PackagedApp app;

    @BeforeAll
    static void start() {
        app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0", "EXAMPLE_HTTP_UNFINISHED_HEADS_MEMORY", "2M"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @AfterEach
    void stillServing() throws Exception {
        assertTrue(app.process().isAlive(), () -> "the service died:\n" + app.output());
        assertEquals("HTTP/1.1 200 OK", HostileClients.exchangeFrom("127.0.0.1", app.httpPort(),
                "GET /live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        long peak = app.peakRssBytes();
        assertTrue(peak < ProductionOptions.CONTAINER_MEMORY_BYTES, () -> "peak RSS " + peak / (1024 * 1024) + " MiB");
        assertFalse(app.output().contains("OutOfMemoryError"), app::output);
        System.out.printf("%s: peak RSS %d MiB%n", UnfinishedHeadsIT.class.getSimpleName(), peak / (1024 * 1024));
    }

    @Test
    void headsOfManyTinyHeaderLinesGet431OnBothPorts() {
        // 8,000 bytes of "a:" lines each (about 2,000 of them), never ended, on 100 connections of 8080 and 20 of
        // 9101: each is answered 431 and closed once it passes 100 header lines, long before its 8 KiB.
        try (HostileClients.Connections main = HostileClients.unfinishedHeads(app.httpPort(), 100, 8_000, "a:\r\n");
                HostileClients.Connections management = HostileClients.unfinishedHeads(app.managementPort(), 20, 8_000,
                        "a:\r\n")) {
            // The client goes on writing after the answer, so its system may drop the answer for the reset: "closed".
            for (HostileClients.Connections heads : new HostileClients.Connections[] { main, management }) {
                Map<String, Integer> outcomes = Poll.until("every head to be answered", Duration.ofSeconds(5),
                        () -> heads.outcomes().containsKey("open") ? null : heads.outcomes(), heads::toString);
                assertTrue(outcomes.containsKey(TOO_MANY_LINES) && outcomes.keySet().stream()
                        .allMatch(outcome -> outcome.equals(TOO_MANY_LINES) || outcome.equals("closed")),
                        outcomes::toString);
            }
        }
        ScrapedMetrics metrics = ScrapedMetrics.scrape(app);
        assertEquals(100, metrics.require("example_request_heads_refused_total{port=\"http\",reason=\"lines\"}"));
        assertEquals(20, metrics.require("example_request_heads_refused_total{port=\"management\",reason=\"lines\"}"));
        Poll.until("the denial to be logged", Duration.ofSeconds(5),
                () -> app.output().contains("Request heads refused on the management port: a head of more than "
                        + MAX_HEADER_LINES + " header lines from 127.0.0.1 (431, closed)") ? true : null,
                app::output);
    }

    @Test
    void unfinishedHeadsTogetherStayWithinTheirMemory() throws Exception {
        // 300 heads of 75 lines of 100 bytes each (7,500 bytes), never ended: each holds about 17 KiB by the
        // estimate, so the 2 MiB take about 120 of them; the others are answered 503 and closed as they grow (or
        // "closed": see above).
        try (HostileClients.Connections heads = HostileClients.unfinishedHeads(app.httpPort(), 300, 7_500)) {
            Map<String, Integer> outcomes = Poll.until("the server to have read every head", Duration.ofSeconds(5),
                    () -> ScrapedMetrics.scrape(app).require("example_request_heads_refused_total{port=\"http\","
                            + "reason=\"memory\"}") + heads.outcomes().getOrDefault("open", 0) >= 300
                                    ? heads.outcomes() : null,
                    heads::toString);
            int open = outcomes.getOrDefault("open", 0);
            assertTrue(open >= 60 && open <= 130, () -> "heads the 2 MiB hold: " + outcomes);
            assertTrue(outcomes.keySet().stream().allMatch(outcome -> outcome.equals("open") || outcome.equals(NO_MEMORY)
                    || outcome.equals("closed")) && outcomes.containsKey(NO_MEMORY), outcomes::toString);
            ScrapedMetrics metrics = ScrapedMetrics.scrape(app);
            double held = metrics.require("example_request_heads_unfinished_bytes");
            assertTrue(held > BUDGET / 2 && held <= BUDGET, () -> "memory held by unfinished heads: " + held);
            // A request whose head arrives whole holds nothing of the budget: it is served meanwhile.
            assertEquals("HTTP/1.1 200 OK", HostileClients.exchangeFrom("127.0.0.1", app.httpPort(),
                    "GET /example HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        }
        // Their connections closed, the heads give their memory back.
        Poll.until("the unfinished heads' memory to be given back", Duration.ofSeconds(5),
                () -> ScrapedMetrics.scrape(app).require("example_request_heads_unfinished_bytes") == 0 ? true : null,
                () -> "held: " + ScrapedMetrics.scrape(app).require("example_request_heads_unfinished_bytes"));
        assertTrue(app.output().contains("Request heads refused on the http port: an unfinished head from 127.0.0.1"
                + " would pass the memory all unfinished heads may hold"), app::output);
    }
}
