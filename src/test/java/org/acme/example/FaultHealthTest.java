package org.acme.example;

import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Health faults as the probes see them: each names the "fault-control" check in the health JSON. */
@QuarkusTest
class FaultHealthTest {

    @TestHTTPResource(value = "/fault", management = true)
    URL fault;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @AfterEach
    void backToTheBaseline() {
        given().delete(fault).then().statusCode(200);
    }

    @Test
    void notReadyHoldsReadinessDownOnly() {
        put("{\"ready\": false}");
        when().get("/ready").then()
                .statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks", hasItem(Map.of("name", "fault-control", "status", "DOWN",
                        "data", Map.of("ready", false, "source", "override"))));
        when().get("/live").then().statusCode(200);
        when().get("/started").then().statusCode(200);
        when().get("/health").then().statusCode(503);
        when().get("/example").then().statusCode(anyOf(equalTo(200), equalTo(500)));
        assertEquals(0.0, ScrapedMetrics.scrape(metrics).require("example_fault_ready"));
        assertEquals(1.0, ScrapedMetrics.scrape(metrics).require("example_fault_live"));

        given().delete(fault).then().statusCode(200);
        when().get("/ready").then().statusCode(200)
                .body("checks", hasItem(Map.of("name", "fault-control", "status", "UP",
                        "data", Map.of("ready", true, "source", "configuration"))));
        assertEquals(1.0, ScrapedMetrics.scrape(metrics).require("example_fault_ready"));
    }

    @Test
    void notLiveHoldsLivenessDownOnly() {
        put("{\"live\": false}");
        when().get("/live").then()
                .statusCode(503)
                .body("checks", hasItem(Map.of("name", "fault-control", "status", "DOWN",
                        "data", Map.of("live", false, "source", "override"))));
        when().get("/ready").then().statusCode(200);
        assertEquals(0.0, ScrapedMetrics.scrape(metrics).require("example_fault_live"));
    }

    /** Without a configured delay, /started names the check too, UP. */
    @Test
    void startedNamesTheCheck() {
        when().get("/started").then().statusCode(200)
                .body("checks", hasItem(Map.of("name", "fault-control", "status", "UP",
                        "data", Map.of("startupDelay", "0s", "remaining", "0s"))));
    }

    private void put(String body) {
        given().contentType(ContentType.JSON).body(body).put(fault).then().statusCode(200);
    }
}
