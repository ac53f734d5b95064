package org.acme.example;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;

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
        String before = scrape();
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
        String after = scrape();

        assertEquals(ok, delta(before, after, "example_requests_total{outcome=\"success\"}"));
        assertEquals(failed, delta(before, after, "example_requests_total{outcome=\"error\"}"));
        assertEquals(ok, delta(before, after,
                "http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/example\"}"));
    }

    @Test
    void unsupportedMethodIsAClientError() {
        when().post("/example").then().statusCode(405);
    }

    private String scrape() {
        return given().accept("text/plain; version=0.0.4").get(metrics).then().statusCode(200).extract().asString();
    }

    private static long delta(String before, String after, String series) {
        return Math.round(valueOrZero(after, series) - valueOrZero(before, series));
    }

    private static double valueOrZero(String scrape, String series) {
        try {
            return PrometheusText.value(scrape, series);
        } catch (AssertionError absent) {
            return 0;
        }
    }
}
