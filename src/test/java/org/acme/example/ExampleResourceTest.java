package org.acme.example;

import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class ExampleResourceTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void exampleAnswersOkOrSimulatedFailure() {
        Response response = when().get("/example");
        response.then().statusCode(anyOf(is(200), is(500)));
        if (response.statusCode() == 200) {
            response.then().contentType("text/plain").body(equalTo("ok\n"));
        } else {
            response.then().contentType("text/plain").body(equalTo("simulated failure\n"));
        }
    }

    @Test
    void everyOutcomeIsCountedOnce() {
        ScrapedMetrics before = scrape();
        int ok = 0;
        int failed = 0;
        for (int i = 0; i < 200; i++) {
            int status = when().get("/example").statusCode();
            if (status == 200) {
                ok++;
            } else if (status == 500) {
                failed++;
            } else {
                throw new AssertionError("unexpected status " + status);
            }
        }
        ScrapedMetrics after = scrape();

        assertEquals(ok, delta(before, after, "example_requests_total", Map.of("outcome", "success")));
        assertEquals(failed, delta(before, after, "example_requests_total", Map.of("outcome", "error")));
        assertEquals(ok, delta(before, after, "http_server_requests_seconds_count",
                Map.of("method", "GET", "outcome", "SUCCESS", "status", "200", "uri", "/example")));
    }

    @Test
    void unsupportedMethodIsAClientError() {
        when().post("/example").then().statusCode(405);
    }

    private ScrapedMetrics scrape() {
        return ScrapedMetrics.parse(
                given().accept("text/plain; version=0.0.4").get(metrics).then().statusCode(200).extract().asString());
    }

    /** A series not there yet (no request of that kind recorded) reads 0. */
    private static long delta(ScrapedMetrics before, ScrapedMetrics after, String name, Map<String, String> labels) {
        return Math.round(after.value(name, labels) - before.value(name, labels));
    }
}
