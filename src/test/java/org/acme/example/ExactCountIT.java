package org.acme.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Under concurrent load (32 keep-alive connections, failure rate 0.3), the counters in {@code /metrics} equal
 * exactly what the client saw: every 200 and every 500, no more, no less, and no socket error on the way.
 * <p>
 * CI sends 20 000 requests; the full run of the issue is
 * {@code ./mvnw -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ExactCountIT -Dexact-count.requests=100000}.
 */
class ExactCountIT {

    static final int REQUESTS = Integer.getInteger("exact-count.requests", 20_000);
    static final int CONNECTIONS = 32;
    /** The server records a request once its answer is written, which can be just after the client read it. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(15);

    @Test
    void countersEqualWhatTheClientSaw() {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0.3"))) {
            long start = System.nanoTime();
            HttpLoad.Result result = HttpLoad.get(app.httpPort(), "/example", CONNECTIONS).run(REQUESTS);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("ExactCountIT: %d requests on %d connections in %.1f s (%.0f/s): %s%n",
                    REQUESTS, CONNECTIONS, seconds, REQUESTS / seconds, result);

            assertEquals(0, result.errors(), () -> "socket errors: " + result);
            assertEquals(0, result.refused.sum(), () -> "refused connections: " + result);
            long ok = result.count(200);
            long failed = result.count(500);
            assertEquals(REQUESTS, ok + failed, () -> "only 200 and 500 expected, all answered: " + result);
            // 0.3 of 20 000 is 6 000 with a standard deviation of 65: [5 000, 7 000] is more than 15 sigma wide.
            assertTrue(failed > REQUESTS * 0.25 && failed < REQUESTS * 0.35, () -> "failure share off: " + result);

            ScrapedMetrics metrics = awaitHttpCount(app, ok + failed);
            assertEquals(ok, metrics.value("example_requests_total", Map.of("outcome", "success")));
            assertEquals(failed, metrics.value("example_requests_total", Map.of("outcome", "error")));
            assertEquals(ok, httpCount(metrics, "200"));
            assertEquals(failed, httpCount(metrics, "500"));
        }
    }

    private static ScrapedMetrics awaitHttpCount(PackagedApp app, long expected) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (true) {
            ScrapedMetrics metrics = ScrapedMetrics.scrape(app);
            long recorded = httpCount(metrics, "200") + httpCount(metrics, "500");
            if (recorded >= expected || System.nanoTime() > deadline) {
                return metrics;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static long httpCount(ScrapedMetrics metrics, String status) {
        return (long) metrics.value("http_server_requests_seconds_count",
                Map.of("method", "GET", "uri", "/example", "status", status));
    }
}
