package org.acme.example;

import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

/** A start-up delay holds /started DOWN for that long after start-up, as a slow-starting service would. */
class StartupDelayIT {

    @Test
    void startedIsDownForTheDelayThenUp() {
        long launched = System.nanoTime();
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_STARTUP_DELAY", "4s"))) {
            JsonPath started = given().get(app.baseUrl() + "/started").then()
                    .statusCode(503)
                    .body("checks.name", hasItem("fault-control"))
                    .extract().jsonPath();
            assertEquals("DOWN", started.getString("checks.find { it.name == 'fault-control' }.status"));
            assertEquals("4s", started.getString("checks.find { it.name == 'fault-control' }.data.startupDelay"));
            given().get(app.baseUrl() + "/live").then().statusCode(200);
            assertEquals(4.0, ScrapedMetrics.scrape(app).require("example_startup_delay_seconds"));

            Poll.until("/started to be UP", Duration.ofSeconds(20),
                    () -> given().get(app.baseUrl() + "/started").statusCode() == 200 ? true : null, app::output);
            double seconds = (System.nanoTime() - launched) / 1e9;
            assertTrue(seconds >= 4, "UP " + seconds + " s after the launch");
            given().get(app.baseUrl() + "/started").then()
                    .body("checks.find { it.name == 'fault-control' }.data.remaining", equalTo("0s"));
        }
    }
}
