package org.acme.example;

import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;
import org.acme.example.traffic.TrafficGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The built-in traffic generator, on the packaged service: it sends real requests to /example, counted like any
 * client's; its rate is set by configuration or at run time; it keeps at most 32 requests in flight; it stops when
 * shutdown begins.
 */
class TrafficGeneratorIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** Every request it sends is a request the server counts: the counters agree exactly once it stops. */
    @Test
    void theConfiguredRateSendsRequestsThatAreCountedLikeAnyClients() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_TRAFFIC_RATE", "100", "EXAMPLE_FAILURE_RATE", "0.2"))) {
            Poll.until("200 answered requests", TIMEOUT, () -> generated(app, "answered") >= 200 ? true : null,
                    () -> ScrapedMetrics.scrape(app).text());
            assertEquals(200, put(app, "{\"rate\": 0}").statusCode());

            ScrapedMetrics metrics = Poll.until("the generator to be idle", TIMEOUT, () -> {
                ScrapedMetrics before = ScrapedMetrics.scrape(app);
                Poll.pause();
                ScrapedMetrics after = ScrapedMetrics.scrape(app);
                boolean idle = after.require("example_traffic_in_flight_requests") == 0
                        && served(after) == served(before) && served(after) == generated(after, "answered");
                return idle ? after : null;
            }, () -> ScrapedMetrics.scrape(app).text());

            double answered = generated(metrics, "answered");
            assertEquals(answered, served(metrics), "requests the server answered");
            assertEquals(answered, metrics.require("example_requests_total{outcome=\"success\"}")
                    + metrics.require("example_requests_total{outcome=\"error\"}"), "requests /example counted");
            assertTrue(metrics.require("example_requests_total{outcome=\"error\"}") > 0, "some simulated failures");
            assertEquals(0, generated(metrics, "failed"));
            assertEquals(0, generated(metrics, "skipped"));
            assertEquals(0, metrics.require("example_traffic_rate_per_second"));
        }
    }

    @Test
    void theRateChangesAtRunTimeAndAnInvalidChangeIsRejected() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of())) {
            assertEquals("{\"rate\":0.0}", get(app).body());
            assertEquals(0, generated(app, "answered"), "off by default");

            HttpResponse<String> changed = put(app, "{\"rate\": 20}");
            assertEquals(200, changed.statusCode());
            assertEquals("{\"rate\":20.0}", changed.body());
            assertEquals(20, ScrapedMetrics.scrape(app).require("example_traffic_rate_per_second"));
            Poll.until("requests sent", TIMEOUT, () -> generated(app, "answered") > 0 ? true : null, app::output);

            HttpResponse<String> tooFast = put(app, "{\"rate\": 1001}");
            assertEquals(400, tooFast.statusCode());
            assertEquals("{\"error\":\"rate must be a number of requests per second in [0, 1000], got '1001.0'\"}",
                    tooFast.body());
            assertEquals(400, put(app, "{\"speed\": 5}").statusCode());
            assertEquals(413, put(app, "{\"rate\": 1, \"padding\": \"" + "x".repeat(5000) + "\"}").statusCode(),
                    "a body over the management routes' limit of 4 KiB");
            assertEquals("{\"rate\":20.0}", get(app).body(), "nothing changed");
            assertTrue(app.output().contains("Traffic rate changed from 0.0 to 20.0 requests per second"), app.output());
            assertTrue(app.output().contains("requests per second by PUT /traffic from 127.0.0.1"), app.output());
        }
    }

    /**
     * Answers delayed by a second at 200 requests a second would need 200 requests in flight: the generator holds
     * {@value TrafficGenerator#MAX_IN_FLIGHT}, skips the rest and counts them, and the server never sees more.
     */
    @Test
    void atMost32RequestsAreInFlight() {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_TRAFFIC_RATE", "200",
                "EXAMPLE_LATENCY_MIN", "1s", "EXAMPLE_LATENCY_MAX", "1s"))) {
            Poll.until("requests skipped", TIMEOUT, () -> generated(app, "skipped") >= 100 ? true : null,
                    () -> ScrapedMetrics.scrape(app).text());
            double mostInFlight = 0;
            for (int i = 0; i < 10; i++) {
                ScrapedMetrics metrics = ScrapedMetrics.scrape(app);
                double inFlight = metrics.require("example_traffic_in_flight_requests");
                double serving = metrics.value("http_server_active_requests",
                        Map.of("server_port", String.valueOf(app.httpPort())));
                assertTrue(inFlight <= TrafficGenerator.MAX_IN_FLIGHT, "in flight: " + inFlight);
                assertTrue(serving <= TrafficGenerator.MAX_IN_FLIGHT, "requests the server is answering: " + serving);
                mostInFlight = Math.max(mostInFlight, inFlight);
                Poll.pause();
            }
            assertEquals(TrafficGenerator.MAX_IN_FLIGHT, mostInFlight, "the bound is reached");
            assertEquals(0, generated(ScrapedMetrics.scrape(app), "failed"));
        }
    }

    /**
     * From the start of the shutdown delay on, the generator sends nothing: readiness is DOWN, and its own requests
     * must not keep the instance busy while load-balancers take it out.
     */
    @Test
    void stopsSendingWhenShutdownBegins() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_TRAFFIC_RATE", "100",
                PackagedApp.SHUTDOWN_DELAY_ENV, "4s"))) {
            Poll.until("requests sent", TIMEOUT, () -> generated(app, "answered") >= 50 ? true : null, app::output);
            app.process().destroy();
            HttpRequest ready = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/ready")).build();
            Poll.until("readiness DOWN", TIMEOUT, () -> {
                try {
                    return CLIENT.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 503 ? true : null;
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError("the service stopped serving before its shutdown delay ended", e);
                }
            }, app::output);
            Poll.pause();
            double servedAtStart = served(ScrapedMetrics.scrape(app));
            for (int i = 0; i < 5; i++) {
                Poll.pause();
            }
            assertEquals(servedAtStart, served(ScrapedMetrics.scrape(app)), "requests served during the delay");
            assertEquals(143, app.awaitExit(Duration.ofSeconds(30)));
        }
    }

    private static double generated(PackagedApp app, String result) {
        return generated(ScrapedMetrics.scrape(app), result);
    }

    private static double generated(ScrapedMetrics metrics, String result) {
        return metrics.require("example_traffic_requests_total{result=\"" + result + "\"}");
    }

    /** Requests to /example the server answered, every status. */
    private static double served(ScrapedMetrics metrics) {
        return metrics.samples("http_server_requests_seconds_count").stream()
                .filter(sample -> "/example".equals(sample.labels().get("uri")))
                .mapToDouble(ScrapedMetrics.Sample::value).sum();
    }

    private static HttpResponse<String> get(PackagedApp app) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(app.managementUrl() + "/traffic")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> put(PackagedApp app, String body) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(app.managementUrl() + "/traffic"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
