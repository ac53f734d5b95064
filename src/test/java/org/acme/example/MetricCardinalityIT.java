package org.acme.example;

import org.acme.example.http.HttpServerTagLimits;
import org.acme.example.testing.HttpLoad;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.ScrapedMetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Thousands of distinct paths, methods and query strings must not become thousands of metric series: every request
 * below carries a fresh random token, and {@code http_server_requests_seconds} must stay at a handful of series
 * (label sets), none of them containing a token, while the service keeps answering normally.
 */
class MetricCardinalityIT {

    static final int RANDOM_PATHS = 3000;
    static final int OTHER_KINDS = 300;
    /** Label sets of http_server_requests_seconds allowed after the flood (the bound). */
    static final int MAX_SERIES = 60;

    @Test
    void randomRequestsShareAFewSeries() {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0"))) {
            int port = app.httpPort();
            List<Supplier<String>> kinds = List.of(
                    // unknown paths: 404
                    () -> HttpLoad.get(port, "/x/" + token()),
                    // unsupported method on a known path, random query: 405
                    () -> HttpLoad.request("DELETE", port, "/example?" + token()),
                    // invented methods: 405 or 404
                    () -> HttpLoad.request("M" + token().substring(0, 8).toUpperCase(), port, "/example"),
                    () -> HttpLoad.request("M" + token().substring(0, 8).toUpperCase(), port, "/x/" + token()),
                    // rejected by Vert.x before routing (bad escape): 400 with the raw path
                    () -> HttpLoad.get(port, "/x/%zz" + token()),
                    // a path under the known one: 404
                    () -> HttpLoad.get(port, "/example/" + token()),
                    // too long for the request line: 414
                    () -> HttpLoad.get(port, "/x/" + token() + "a".repeat(5000)));

            send(port, RANDOM_PATHS, kinds.get(0));
            for (Supplier<String> kind : kinds.subList(1, kinds.size())) {
                send(port, OTHER_KINDS, kind);
            }

            HttpLoad.Result normal = HttpLoad.get(port, "/example", 4).run(100);
            assertEquals(100, normal.count(200), () -> "after the flood: " + normal);

            // a request is recorded once its answer is written, which can be just after the client read it
            ScrapedMetrics metrics = ScrapedMetrics.awaitValue(app, "http_server_requests_seconds_count",
                    Map.of("method", "GET", "status", "200", "uri", "/example"), 100);
            List<ScrapedMetrics.Sample> series = metrics.samples("http_server_requests_seconds_count");
            Set<String> uris = series.stream().map(s -> s.labels().get("uri")).collect(Collectors.toSet());
            Set<String> methods = series.stream().map(s -> s.labels().get("method")).collect(Collectors.toSet());
            System.out.printf("MetricCardinalityIT: %d series of http_server_requests_seconds, uri %s, method %s%n",
                    series.size(), uris, methods);

            assertTrue(series.size() < MAX_SERIES, () -> series.size() + " series: " + series);
            assertTrue(uris.size() <= HttpServerTagLimits.KNOWN_URIS.size() + 1, () -> "uri values: " + uris);
            assertTrue(methods.size() <= HttpServerTagLimits.KNOWN_METHODS.size() + 1, () -> "methods: " + methods);
            assertFalse(metrics.text().contains(TOKEN_PREFIX), "a random token made it into /metrics");
            // the random GET paths and the paths under /example: all of them counted, under one value
            assertEquals(RANDOM_PATHS + OTHER_KINDS, metrics.value("http_server_requests_seconds_count",
                    Map.of("method", "GET", "status", "404", "uri", "NOT_FOUND")));
            assertEquals(100, metrics.value("http_server_requests_seconds_count",
                    Map.of("method", "GET", "status", "200", "uri", "/example")));
        }
    }

    /** Sends {@code count} requests of one kind on 8 connections; every one must get an answer. */
    private static void send(int port, int count, Supplier<String> kind) {
        HttpLoad.Result result = new HttpLoad("127.0.0.1", port, 8, kind).run(count);
        assertEquals(count, result.answered(), () -> "every request answered: " + result);
        assertTrue(result.statuses().stream().allMatch(status -> status >= 400 && status < 500),
                () -> "only client errors expected: " + result);
    }

    static final String TOKEN_PREFIX = "tok";

    private static String token() {
        return TOKEN_PREFIX + UUID.randomUUID().toString().replace("-", "");
    }
}
