package org.acme.example;

import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.restassured.http.ContentType;

/**
 * Per-request faults for load tools that want deterministic mixes: with {@code EXAMPLE_REQUEST_FAULTS_ENABLED=true}
 * (or the setting {@code requestFaults} changed at run time), {@code /example?status=503&delay=200ms} forces that
 * request's outcome within the usual rules; off (the default), the parameters are ignored.
 */
class RequestFaultsIT {

    private static PackagedApp app;

    @BeforeAll
    static void start() {
        app = PackagedApp.start(Map.of("EXAMPLE_REQUEST_FAULTS_ENABLED", "true", "EXAMPLE_FAILURE_RATE", "0"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void whenEnabledTheParametersForceTheOutcome() {
        ScrapedMetrics before = ScrapedMetrics.scrape(app);
        for (int i = 0; i < 20; i++) {
            given().get(app.baseUrl() + "/example?status=503").then().statusCode(503)
                    .body(equalTo("simulated failure\n"));
            given().get(app.baseUrl() + "/example?status=429").then().statusCode(429);
        }
        given().contentType(ContentType.JSON).body("{\"failureRate\": 1}").put(app.managementUrl() + "/fault")
                .then().statusCode(200);
        for (int i = 0; i < 20; i++) {
            given().get(app.baseUrl() + "/example?status=200").then().statusCode(200).body(equalTo("ok\n"));
        }
        long start = System.nanoTime();
        given().get(app.baseUrl() + "/example?status=502&delay=300ms").then().statusCode(502);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs >= 300, "answered after " + elapsedMs + " ms");

        given().delete(app.managementUrl() + "/fault").then().statusCode(200);

        ScrapedMetrics after = ScrapedMetrics.awaitValue(app, "example_requests_total", Map.of("outcome", "error"),
                before.require("example_requests_total{outcome=\"error\"}") + 41);
        assertEquals(41, increase(before, after, "example_requests_total{outcome=\"error\"}"), "forced failures");
        assertEquals(20, increase(before, after, "example_requests_total{outcome=\"success\"}"));
        assertEquals(20, after.value("http_server_requests_seconds_count", Map.of("uri", "/example", "status", "503"))
                - before.value("http_server_requests_seconds_count", Map.of("uri", "/example", "status", "503")));
        assertFalse(app.output().contains("ERROR"), app.output());
    }

    private static double increase(ScrapedMetrics before, ScrapedMetrics after, String series) {
        return after.require(series) - before.require(series);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "status=404       | status must be 200 or 429 or a status code from 500 to 599, got '404'",
            "status=abc       | status must be 200 or 429 or a status code from 500 to 599, got 'abc'",
            "status=5030      | got '5030'",
            "delay=200        | delay must be a duration of 0 to 60s in whole milliseconds, such as 50ms, got '200': a unit is required, e.g. '200ms' or '200s'",
            "delay=61s        | delay must be a duration of 0 to 60s in whole milliseconds, such as 50ms, got '61s'",
            "delay=-1ms       | got '-1ms'",
            "delay=soon       | got 'soon'" })
    void whenEnabledInvalidParametersAreAClientError(String query, String message) {
        given().get(app.baseUrl() + "/example?" + query).then()
                .statusCode(400)
                .contentType(startsWith("text/plain"))
                .body(containsString(message));
        assertFalse(app.output().contains("ERROR"), app.output());
    }

    /**
     * Off by default, the parameters are ignored; the operator switches them on at run time on the management port,
     * with credentials when a password is set, for a while or until DELETE /fault; the same rules then apply.
     */
    @Test
    void offByDefaultAndSwitchedAtRunTimeByTheOperator() {
        try (PackagedApp off = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0",
                "EXAMPLE_FAULT_CONTROL_PASSWORD", "open-sesame"))) {
            for (String query : new String[] { "status=503", "status=404", "delay=5s", "delay=200", "status=500&delay=1m" }) {
                long start = System.nanoTime();
                given().get(off.baseUrl() + "/example?" + query).then().statusCode(200).body(equalTo("ok\n"));
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(elapsedMs < 1000, query + " took " + elapsedMs + " ms");
            }
            String fault = off.managementUrl() + "/fault";
            given().contentType(ContentType.JSON).body("{\"requestFaults\": true}").put(fault).then().statusCode(401);
            given().get(off.baseUrl() + "/example?status=503").then().statusCode(200);

            given().auth().preemptive().basic("operator", "open-sesame").contentType(ContentType.JSON)
                    .body("{\"requestFaults\": true, \"for\": \"10m\"}").put(fault).then().statusCode(200)
                    .body("requestFaults", equalTo(true))
                    .body("overrides.requestFaults.by", equalTo("PUT /fault from 127.0.0.1 as operator"));
            given().get(off.baseUrl() + "/example?status=503").then().statusCode(503);
            given().get(off.baseUrl() + "/example?status=404").then().statusCode(400)
                    .body(containsString("status must be 200 or 429 or a status code from 500 to 599, got '404'"));
            given().get(off.baseUrl() + "/example?delay=61s").then().statusCode(400);

            given().auth().preemptive().basic("operator", "open-sesame").delete(fault).then().statusCode(200)
                    .body("requestFaults", equalTo(false));
            given().get(off.baseUrl() + "/example?status=503").then().statusCode(200);
        }
    }
}
