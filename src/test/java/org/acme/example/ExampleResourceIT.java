package org.acme.example;

import org.acme.example.testing.FreeManagementPort;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same user-visible contract, against the packaged artifact (the jar here, the native executable with -Dnative). */
@QuarkusIntegrationTest
@WithTestResource(FreeManagementPort.class)
class ExampleResourceIT {

    @FreeManagementPort.Url
    String management;

    @Test
    void exampleAnswers() {
        when().get("/example").then()
                .statusCode(anyOf(is(200), is(500)))
                .body(anyOf(equalTo("ok\n"), equalTo("simulated failure\n")));
    }

    @Test
    void liveIsUp() {
        when().get("/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsAreOnTheManagementPort() {
        when().get("/example");
        given().accept("text/plain; version=0.0.4").get(management + "/metrics").then()
                .statusCode(200)
                .body(containsString("example_requests_total{outcome=\"success\",}"))
                .body(containsString("example_failure_rate_ratio"))
                .body(containsString("http_server_requests_seconds_bucket{"));
        when().get("/metrics").then().statusCode(404);
    }
}
