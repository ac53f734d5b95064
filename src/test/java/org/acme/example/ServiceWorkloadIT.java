package org.acme.example;

import org.acme.example.testing.FreeManagementPort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged service driven as in production: traffic on /example, probes, Prometheus scrapes; every answer is
 * checked. It is also the training workload of the JDK 25 AOT cache: with the Maven profile {@code aot}, Quarkus
 * records this run into {@code app.aot}, so what it exercises is what starts fast.
 */
@QuarkusIntegrationTest
@WithTestResource(FreeManagementPort.class)
class ServiceWorkloadIT {

    private static final int REQUESTS = 2000;
    private static final int SCRAPE_EVERY = 100;
    // What Prometheus sends; the service answers it with the classic text format.
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    @TestHTTPResource("/")
    URL base;

    @FreeManagementPort.Url
    String management;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void everyRequestIsAnsweredAndCounted() throws Exception {
        for (String probe : new String[] { "/live", "/ready", "/started" }) {
            assertEquals(200, get(uri(probe), "*/*").statusCode(), probe);
        }
        double successesBefore = requests(scrape(), "success");
        double errorsBefore = requests(scrape(), "error");

        int ok = 0;
        int failed = 0;
        for (int i = 1; i <= REQUESTS; i++) {
            HttpResponse<String> response = get(uri("/example"), "*/*");
            if (response.statusCode() == 200 && response.body().equals("ok\n")) {
                ok++;
            } else if (response.statusCode() == 500 && response.body().equals("simulated failure\n")) {
                failed++;
            } else {
                fail("unexpected answer " + response.statusCode() + " '" + response.body() + "'");
            }
            if (i % SCRAPE_EVERY == 0) {
                scrape();
            }
        }

        String metrics = scrape();
        assertEquals(ok, requests(metrics, "success") - successesBefore, "successes counted");
        assertEquals(failed, requests(metrics, "error") - errorsBefore, "errors counted");
        // At the default failure rate 0.1, 2000 requests all succeed with probability 0.9^2000 < 1e-90.
        assertTrue(failed > 0, "no simulated failure in " + REQUESTS + " requests");
        assertTrue(metrics.contains("http_server_requests_seconds_bucket{"), "the /example histogram is exported");
    }

    private String scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = get(URI.create(management + "/metrics"), PROMETHEUS_ACCEPT);
        assertEquals(200, response.statusCode());
        return response.body();
    }

    private static double requests(String metrics, String outcome) {
        Matcher matcher = Pattern.compile("(?m)^example_requests_total\\{outcome=\"" + outcome + "\",?} (\\S+)$")
                .matcher(metrics);
        assertTrue(matcher.find(), "example_requests_total{outcome=\"" + outcome + "\"} in:\n" + metrics);
        return Double.parseDouble(matcher.group(1));
    }

    private URI uri(String path) {
        return URI.create(base.toString()).resolve(path);
    }

    private HttpResponse<String> get(URI uri, String accept) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
