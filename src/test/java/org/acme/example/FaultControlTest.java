package org.acme.example;

import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
class FaultControlTest extends FailureRateTestBase {

    private static final String DEFAULTS = "{\"failureRate\":0.1,\"latencyMinMs\":0,\"latencyMaxMs\":0}";

    @TestHTTPResource(value = "/fault", management = true)
    URL fault;

    @AfterEach
    void restoreDefaults() {
        put(DEFAULTS).then().statusCode(200);
    }

    @Test
    void getShowsTheCurrentSettings() {
        given().get(fault).then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("failureRate", equalTo(0.1f))
                .body("latencyMinMs", equalTo(0))
                .body("latencyMaxMs", equalTo(0));
    }

    @Test
    void putChangesTheGivenFieldsAndAnswersTheWholeState() {
        put("{\"failureRate\": 1}").then()
                .statusCode(200)
                .body("failureRate", equalTo(1.0f))
                .body("latencyMinMs", equalTo(0))
                .body("latencyMaxMs", equalTo(0));
        assertEquals(0, requestExample(50).ok(), "the next requests use the new rate");

        put("{\"latencyMaxMs\": 5}").then()
                .statusCode(200)
                .body("failureRate", equalTo(1.0f))
                .body("latencyMaxMs", equalTo(5));
        put("{\"failureRate\": 0.0}").then().statusCode(200);
        assertEquals(0, requestExample(50).failed());
    }

    /** As for a configured rate: the share of failures over 2000 requests lies within |z| <= 4 of the new rate. */
    @Test
    void aRuntimeRateIsTheRateRequestsSee() {
        double rate = 0.4;
        put("{\"failureRate\": " + rate + "}").then().statusCode(200);
        Outcomes outcomes = requestExample(2000);
        double z = (outcomes.failedShare() - rate) / Math.sqrt(rate * (1 - rate) / outcomes.total());
        assertTrue(Math.abs(z) <= 4, () -> "failed " + outcomes.failed() + " of " + outcomes.total() + ", z = " + z);
    }

    @Test
    void theMetricsShowTheNewSettingsAtOnce() {
        put("{\"failureRate\": 0.75, \"latencyMinMs\": 20, \"latencyMaxMs\": 250}").then().statusCode(200);
        ScrapedMetrics scrape = ScrapedMetrics.parse(given().accept("text/plain").get(metrics).asString());
        assertEquals(0.75, scrape.require("example_failure_rate_ratio"));
        assertEquals(0.02, scrape.require("example_latency_min_seconds"));
        assertEquals(0.25, scrape.require("example_latency_max_seconds"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"failureRate\": 1.5}                              | failureRate must be a number in [0, 1], got '1.5'",
            "{\"failureRate\": -0.1}                             | failureRate must be a number in [0, 1], got '-0.1'",
            "{\"failureRate\": \"0.5\"}                          | failureRate must be a number in [0, 1], got '\"0.5\"'",
            "{\"failureRate\": null}                             | failureRate must be a number in [0, 1], got 'null'",
            "{\"latencyMinMs\": -1}                              | latencyMinMs must be a duration of 0 to 60000 whole milliseconds",
            "{\"latencyMaxMs\": 1.5}                             | latencyMaxMs must be a duration of 0 to 60000 whole milliseconds",
            "{\"latencyMaxMs\": 60001}                           | latencyMaxMs must be a duration of 0 to 60000 whole milliseconds",
            "{\"latencyMaxMs\": true}                            | latencyMaxMs must be a duration of 0 to 60000 whole milliseconds",
            "{\"latencyMinMs\": 10}                              | latencyMinMs (10 ms) must not be greater than latencyMaxMs (0 ms)",
            "{\"latencyMinMs\": 30, \"latencyMaxMs\": 20}        | latencyMinMs (30 ms) must not be greater than latencyMaxMs (20 ms)",
            "{\"failureRate\": 0.5, \"rate\": 1}                 | unknown field 'rate'",
            "not json                                            | the body must be a JSON object",
            "[0.5]                                               | the body must be a JSON object",
            "0.5                                                 | the body must be a JSON object",
    })
    void invalidChangesAreRejectedAndChangeNothing(String body, String message) {
        put(body).then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", containsString(message.strip()));
        given().get(fault).then().statusCode(200).body(allOf(
                containsString("\"failureRate\":0.1"), containsString("\"latencyMinMs\":0"),
                containsString("\"latencyMaxMs\":0")));
    }

    @Test
    void anEmptyBodyIsRejected() {
        given().contentType(ContentType.JSON).put(fault).then().statusCode(400);
    }

    @ParameterizedTest
    @ValueSource(strings = { "GET", "PUT", "POST" })
    void theControlEndpointIsNotOnTheMainPort(String method) {
        given().contentType(ContentType.JSON).body(Map.of("failureRate", 1))
                .request(method, "/fault").then().statusCode(404);
        assertEquals(0.1, failureRateGauge(), "nothing changed");
    }

    private Response put(String body) {
        return given().contentType(ContentType.JSON).body(body).put(fault);
    }
}
