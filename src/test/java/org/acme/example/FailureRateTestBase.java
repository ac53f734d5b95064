package org.acme.example;

import org.acme.example.fault.FaultRules;
import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.Map;
import java.util.TreeMap;

import io.quarkus.test.common.http.TestHTTPResource;

/**
 * Sends requests to {@code /example} as a client would, tallies the answers, and checks that the metrics
 * count exactly what the client saw.
 */
abstract class FailureRateTestBase {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    /** @param byStatus how many answers had each status */
    record Outcomes(int ok, int failed, Map<Integer, Integer> byStatus) {
        int total() {
            return ok + failed;
        }

        double failedShare() {
            return (double) failed / total();
        }
    }

    /** Requests {@code /example}; any status but 200 must be a simulated failure (429 or 5xx). */
    Outcomes requestExample(int times) {
        String before = scrape();
        int ok = 0;
        int failed = 0;
        Map<Integer, Integer> byStatus = new TreeMap<>();
        for (int i = 0; i < times; i++) {
            int status = when().get("/example").statusCode();
            byStatus.merge(status, 1, Integer::sum);
            if (status == 200) {
                ok++;
            } else if (FaultRules.isFailureStatus(status)) {
                failed++;
            } else {
                throw new AssertionError("unexpected status " + status);
            }
        }
        String after = scrape();
        assertEquals(ok, increase(before, after, "example_requests_total{outcome=\"success\"}"), "success counter");
        assertEquals(failed, increase(before, after, "example_requests_total{outcome=\"error\"}"), "error counter");
        return new Outcomes(ok, failed, byStatus);
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
