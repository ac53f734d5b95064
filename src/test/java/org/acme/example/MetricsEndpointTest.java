package org.acme.example;

import org.acme.example.testing.ExampleTestProfiles;
import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class MetricsEndpointTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void bothOutcomeSeriesAndTheFailureRateGaugeExist() {
        ScrapedMetrics scrape = ScrapedMetrics.parse(classicText());
        // Present (possibly still 0) before any error has happened, so rate() works from the first scrape.
        scrape.require("example_requests_total{outcome=\"success\"}");
        scrape.require("example_requests_total{outcome=\"error\"}");
        assertEquals(ExampleTestProfiles.DEFAULT_TEST_RATE,
                scrape.require("example_failure_rate_ratio"), 0.0);
    }

    @Test
    void exampleLatencyIsAHistogram() {
        when().get("/example");
        String scrape = classicText();
        for (String le : new String[] { "0.001", "0.01", "0.1", "1.0", "10.0", "+Inf" }) {
            assertThat(scrape, matchesPattern("(?s).*\\nhttp_server_requests_seconds_bucket\\{[^}]*uri=\"/example\"[^}]*le=\""
                    + Pattern.quote(le) + "\".*"));
        }
    }

    @Test
    void probesAreNotRecorded() {
        // Unignored, a probe is counted under uri="UNKNOWN", so the test counts every request on the main port.
        double before = httpRequestsCounted();
        for (String probe : new String[] { "/live", "/ready", "/started", "/health" }) {
            when().get(probe).then().statusCode(200);
        }
        assertEquals(before, httpRequestsCounted(), 0.0);
        when().get("/example").then().statusCode(anyOf(is(200), is(500)));
        assertEquals(before + 1, httpRequestsCounted(), 0.0);
    }

    private double httpRequestsCounted() {
        return ScrapedMetrics.parse(classicText()).samples("http_server_requests_seconds_count").stream()
                .filter(sample -> !sample.labels().get("uri").equals("/metrics"))
                .mapToDouble(ScrapedMetrics.Sample::value).sum();
    }

    @Test
    void jvmAndProcessMetricsAreServed() {
        given().accept("text/plain").get(metrics).then()
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("process_cpu_usage"));
    }

    @Test
    void openMetricsByDefaultAndClassicTextOnRequest() {
        given().get(metrics).then().statusCode(200)
                .contentType(startsWith("application/openmetrics-text"))
                .body(containsString("# EOF"));
        given().accept("text/plain; version=0.0.4").get(metrics).then().statusCode(200)
                .contentType(startsWith("text/plain; version=0.0.4"))
                .body(not(containsString("# EOF")));
    }

    @Test
    void metricsAreNotServedOnTheMainPort() {
        when().get("/metrics").then().statusCode(404);
        when().get("/q/metrics").then().statusCode(404);
    }

    private String classicText() {
        return given().accept("text/plain; version=0.0.4").get(metrics).then().statusCode(200).extract().asString();
    }
}
