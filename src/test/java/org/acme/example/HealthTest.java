package org.acme.example;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @ParameterizedTest
    @ValueSource(strings = { "/live", "/ready", "/started" })
    void healthIsUpOnTheMainPort(String path) {
        when().get(path).then()
                .statusCode(200)
                .contentType("application/json")
                .body("status", equalTo("UP"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "live", "ready", "started", "q/health", "health" })
    void healthIsNotServedOnTheManagementPort(String path) {
        given().get(management + path).then().statusCode(404);
    }
}
