package org.acme.example;

import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;

import io.quarkus.test.common.http.TestHTTPResource;

/**
 * Sends requests to {@code /example} as a client would, tallies the answers, and checks that the metrics
 * count exactly what the client saw.
 */
abstract class FailureRateTestBase {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    record Outcomes(int ok, int failed) {
        int total() {
            return ok + failed;
        }

        double failedShare() {
            return (double) failed / total();
        }
    }

    Outcomes requestExample(int times) {
        String before = scrape();
        int ok = 0;
        int failed = 0;
        for (int i = 0; i < times; i++) {
            int status = when().get("/example").statusCode();
            switch (status) {
                case 200 -> ok++;
                case 500 -> failed++;
                default -> throw new AssertionError("unexpected status " + status);
            }
        }
        String after = scrape();
        assertEquals(ok, increase(before, after, "example_requests_total{outcome=\"success\"}"), "success counter");
        assertEquals(failed, increase(before, after, "example_requests_total{outcome=\"error\"}"), "error counter");
        return new Outcomes(ok, failed);
    }

    double failureRateGauge() {
        return ScrapedMetrics.parse(scrape()).require("example_failure_rate_ratio");
    }

    private String scrape() {
        return given().accept("text/plain; version=0.0.4").get(metrics).then().statusCode(200).extract().asString();
    }

    private static long increase(String before, String after, String series) {
        return Math.round(ScrapedMetrics.parse(after).require(series) - ScrapedMetrics.parse(before).require(series));
    }
}
