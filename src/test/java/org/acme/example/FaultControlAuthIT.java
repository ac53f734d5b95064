package org.acme.example;

import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** The documented way to require credentials for changes: the packaged jar with {@code FAULT_CONTROL_PASSWORD}. */
class FaultControlAuthIT {

    private static PackagedApp app;

    @BeforeAll
    static void start() {
        app = PackagedApp.start(Map.of("FAULT_CONTROL_PASSWORD", "open-sesame"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void changesNeedTheOperatorsCredentials() {
        put().put(app.managementUrl() + "/fault").then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Basic realm="))
                .body("error", containsString("operator"));
        put().auth().preemptive().basic("operator", "wrong").put(app.managementUrl() + "/fault").then().statusCode(401);
        put().auth().preemptive().basic("admin", "open-sesame").put(app.managementUrl() + "/fault").then().statusCode(401);
        given().get(app.managementUrl() + "/fault").then().statusCode(200).body("failureRate", equalTo(0.1f));

        put().auth().preemptive().basic("operator", "open-sesame").put(app.managementUrl() + "/fault")
                .then().statusCode(200).body("failureRate", equalTo(0.0f));
        // Every change is logged at INFO with the old and the new state; refused ones change nothing and log nothing.
        String log = Poll.until("the change to be logged", Duration.ofSeconds(10),
                () -> app.output().contains("Fault settings changed") ? app.output() : null, app::output);
        assertTrue(log.contains("\"level\":\"INFO\""), log);
        assertTrue(log.contains("Fault settings changed from FaultSettings[failureRate=0.1, latencyMinMs=0, latencyMaxMs=0]"
                + " to FaultSettings[failureRate=0.0, latencyMinMs=0, latencyMaxMs=0]"), log);
        assertEquals(1, log.split("Fault settings changed", -1).length - 1, "exactly one change logged");

        // A change to the same state logs nothing: after it, the next real change is only the second line.
        put().auth().preemptive().basic("operator", "open-sesame").put(app.managementUrl() + "/fault")
                .then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"failureRate\": 0.1}")
                .auth().preemptive().basic("operator", "open-sesame").put(app.managementUrl() + "/fault")
                .then().statusCode(200);
        String after = Poll.until("the second change to be logged", Duration.ofSeconds(10),
                () -> app.output().contains("to FaultSettings[failureRate=0.1") ? app.output() : null, app::output);
        assertEquals(2, after.split("Fault settings changed", -1).length - 1, "the unchanged state was not logged");
    }

    @Test
    void metricsAndTheServiceStayOpen() {
        given().get(app.managementUrl() + "/metrics").then().statusCode(200);
        given().get(app.managementUrl() + "/fault").then().statusCode(200);
        given().get(app.baseUrl() + "/live").then().statusCode(200);
        given().get(app.baseUrl() + "/example").then().statusCode(anyOf(equalTo(200), equalTo(500)));
        // Stray credentials are ignored where none are asked for.
        given().auth().preemptive().basic("operator", "wrong").get(app.baseUrl() + "/example")
                .then().statusCode(anyOf(equalTo(200), equalTo(500)));
        given().auth().preemptive().basic("operator", "wrong").get(app.managementUrl() + "/metrics")
                .then().statusCode(200);
    }

    private static RequestSpecification put() {
        return given().contentType(ContentType.JSON).body("{\"failureRate\": 0}");
    }
}
