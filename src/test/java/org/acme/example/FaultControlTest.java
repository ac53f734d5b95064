package org.acme.example;

import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

@QuarkusTest
class FaultControlTest extends FailureRateTestBase {

    @TestHTTPResource(value = "/fault", management = true)
    URL fault;

    @AfterEach
    void backToTheBaseline() {
        given().delete(fault).then().statusCode(200).body("source", equalTo("configuration"));
    }

    @Test
    void getShowsTheCurrentSettingsAndWhereTheyComeFrom() {
        given().get(fault).then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("failureRate", equalTo(0.1f))
                .body("failureStatuses", equalTo(Map.of("500", 1)))
                .body("latencyMinMs", equalTo(0))
                .body("latencyMaxMs", equalTo(0))
                .body("ready", equalTo(true))
                .body("live", equalTo(true))
                .body("source", equalTo("configuration"))
                .body("baseline.failureRate", equalTo(0.1f))
                .body("baseline.source", equalTo("configuration"))
                .body("override", nullValue())
                .body("scenario", nullValue());
    }

    @Test
    void putChangesTheGivenFieldsAndAnswersTheWholeState() {
        put("{\"failureRate\": 1}").then()
                .statusCode(200)
                .body("failureRate", equalTo(1.0f))
                .body("latencyMinMs", equalTo(0))
                .body("latencyMaxMs", equalTo(0))
                .body("source", equalTo("override"))
                .body("baseline.failureRate", equalTo(0.1f))
                .body("override.by", equalTo("PUT /fault from 127.0.0.1"))
                .body("override.endsAt", nullValue());
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

    /**
     * Failures are answered with the statuses of the mix, in proportion to their weights: over 2000 failures the
     * share of 503 (weight 1 of 4) lies within |z| <= 4 of 0.25 (a false alarm about once in 16 000 runs).
     */
    @Test
    void failuresFollowTheStatusMix() {
        put("{\"failureRate\": 1, \"failureStatuses\": {\"500\": 3, \"503\": 1}}").then().statusCode(200)
                .body("failureStatuses", equalTo(Map.of("500", 3, "503", 1)));
        Outcomes outcomes = requestExample(2000);
        assertEquals(Set.of(500, 503), outcomes.byStatus().keySet(), outcomes.toString());
        double share = outcomes.byStatus().get(503) / 2000.0;
        double z = (share - 0.25) / Math.sqrt(0.25 * 0.75 / 2000);
        assertTrue(Math.abs(z) <= 4, () -> outcomes.byStatus() + ", z = " + z);
        ScrapedMetrics scrape = ScrapedMetrics.scrape(metrics);
        assertEquals(0.75, scrape.require("example_failure_status_ratio{status=\"500\"}"));
        assertEquals(0.25, scrape.require("example_failure_status_ratio{status=\"503\"}"));

        // A status leaves the mix: its series stays, at 0, so that the series are few and steady.
        put("{\"failureStatuses\": {\"429\": 1}}").then().statusCode(200);
        assertEquals(Map.of(429, 20), requestExample(20).byStatus());
        scrape = ScrapedMetrics.scrape(metrics);
        assertEquals(1.0, scrape.require("example_failure_status_ratio{status=\"429\"}"));
        assertEquals(0.0, scrape.require("example_failure_status_ratio{status=\"503\"}"));
        assertEquals(0.0, scrape.require("example_failure_status_ratio{status=\"500\"}"));
    }

    @Test
    void theMetricsShowTheNewSettingsAtOnce() {
        put("{\"failureRate\": 0.75, \"latencyMinMs\": 20, \"latencyMaxMs\": 250, \"ready\": false, \"live\": false}")
                .then().statusCode(200);
        ScrapedMetrics scrape = ScrapedMetrics.scrape(metrics);
        assertEquals(0.75, scrape.require("example_failure_rate_ratio"));
        assertEquals(0.02, scrape.require("example_latency_min_seconds"));
        assertEquals(0.25, scrape.require("example_latency_max_seconds"));
        assertEquals(0.0, scrape.require("example_fault_ready"));
        assertEquals(0.0, scrape.require("example_fault_live"));
        assertEquals(0.0, scrape.require("example_fault_override_remaining_seconds"), "an override without an end");
        assertEquals(1.0, scrape.require("example_fault_file_valid"), "no fault file configured");
        assertEquals(0.0, scrape.require("example_startup_delay_seconds"));
    }

    /** A change that says how long it lasts ends by itself: the baseline applies again, without a request. */
    @Test
    void aTimedChangeEndsByItself() {
        long start = System.nanoTime();
        JsonPath state = put("{\"failureRate\": 1, \"for\": \"1500ms\"}").then().statusCode(200)
                .body("override.endsAt", notNullValue()).extract().jsonPath();
        double remaining = state.getDouble("override.remainingSeconds");
        assertTrue(remaining > 0 && remaining <= 1.5, "remaining " + remaining);
        double gauge = ScrapedMetrics.scrape(metrics).require("example_fault_override_remaining_seconds");
        assertTrue(gauge > 0 && gauge <= 1.5, "gauge " + gauge);

        Poll.until("the timed change to end", Duration.ofSeconds(10),
                () -> "configuration".equals(given().get(fault).jsonPath().getString("source")) ? true : null,
                () -> given().get(fault).asString());
        double elapsed = (System.nanoTime() - start) / 1e9;
        assertTrue(elapsed >= 1.4, "ended after " + elapsed + " s");
        given().get(fault).then().body("failureRate", equalTo(0.1f)).body("override", nullValue());
        assertEquals(0.0, ScrapedMetrics.scrape(metrics).require("example_fault_override_remaining_seconds"));
    }

    @Test
    void aChangeWithoutForHasNoEndEvenAfterATimedOne() throws InterruptedException {
        put("{\"failureRate\": 1, \"for\": \"1s\"}").then().statusCode(200);
        put("{\"latencyMaxMs\": 1}").then().statusCode(200).body("override.endsAt", nullValue());
        Thread.sleep(1500); // longer than the first change's 1 s: nothing may happen meanwhile
        given().get(fault).then().body("source", equalTo("override")).body("failureRate", equalTo(1.0f));
    }

    @Test
    void deleteReturnsToTheBaselineAtOnce() {
        put("{\"failureRate\": 1, \"latencyMaxMs\": 3, \"for\": \"5m\"}").then().statusCode(200);
        given().delete(fault).then().statusCode(200)
                .body("failureRate", equalTo(0.1f))
                .body("latencyMaxMs", equalTo(0))
                .body("source", equalTo("configuration"))
                .body("override", nullValue());
        assertEquals(1, requestExample(1).total());
    }

    /** JSON has a negative zero; the service stores 0, which is what every reader expects to see. */
    @Test
    void negativeZeroIsStoredAsZero() {
        String body = put("{\"failureRate\": -0.0, \"failureStatuses\": {\"500\": 1, \"503\": -0.0}}").then()
                .statusCode(200).extract().asString();
        assertTrue(body.contains("\"failureRate\":0.0,") && !body.contains("-0"), body);
        assertEquals("0.0", ScrapedMetrics.scrape(metrics).text().lines()
                .filter(line -> line.startsWith("example_failure_rate_ratio ")).findFirst().orElseThrow().split(" ")[1]);
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
            "{\"failureStatuses\": {\"404\": 1}}                 | failureStatuses must be weights (numbers >= 0, not all 0) of status codes 429 or 500 to 599, such as 500=3,503=1, got '{\"404\":1}'",
            "{\"failureStatuses\": {\"500\": 0}}                 | failureStatuses must be weights (numbers >= 0, not all 0)",
            "{\"failureStatuses\": {\"500\": -1}}                | failureStatuses must be weights",
            "{\"failureStatuses\": {\"500\": \"1\"}}             | failureStatuses must be weights",
            "{\"failureStatuses\": {\"5xx\": 1}}                 | failureStatuses must be weights",
            "{\"failureStatuses\": {}}                           | failureStatuses must be weights",
            "{\"failureStatuses\": [500]}                        | failureStatuses must be weights",
            "{\"failureStatuses\": {\"500\": 1e400}}             | failureStatuses must be weights",
            "{\"ready\": \"yes\"}                                | ready must be true or false, got '\"yes\"'",
            "{\"live\": 0}                                       | live must be true or false, got '0'",
            "{\"failureRate\": 1, \"for\": \"0s\"}               | for must be a duration of 1 ms to 24 h, such as 30s or 5m, got '0s'",
            "{\"failureRate\": 1, \"for\": \"25h\"}              | for must be a duration of 1 ms to 24 h",
            "{\"failureRate\": 1, \"for\": 30}                   | for must be a duration of 1 ms to 24 h, such as 30s or 5m, got '30'",
            "{\"failureRate\": 1, \"for\": \"30\"}               | got '30': a unit is required, e.g. '30ms' or '30s'",
            "{\"failureRate\": 1, \"for\": \"soon\"}             | for must be a duration of 1 ms to 24 h",
            "{\"failureRate\": 0.5, \"rate\": 1}                 | unknown field 'rate': allowed fields are failureRate, failureStatuses, latencyMinMs, latencyMaxMs, ready, live and for",
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
                containsString("\"latencyMaxMs\":0"), containsString("\"source\":\"configuration\"")));
    }

    @Test
    void anEmptyBodyIsRejected() {
        given().contentType(ContentType.JSON).put(fault).then().statusCode(400);
    }

    /** Only JSON is read; anything else is refused before its body is. */
    @ParameterizedTest
    @ValueSource(strings = { "text/plain", "application/x-www-form-urlencoded", "application/jsonp", "none" })
    void aBodyThatIsNotJsonIsUnsupported(String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(fault.toURI())
                .PUT(HttpRequest.BodyPublishers.ofString("{\"failureRate\": 1}"));
        if (!contentType.equals("none")) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(415, response.statusCode());
        assertTrue(response.body().contains("Content-Type: application/json"), response.body());
        given().get(fault).then().body("failureRate", equalTo(0.1f));
        given().contentType("application/json; charset=UTF-8").body("{\"failureRate\": 1}").put(fault).then()
                .statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "GET", "PUT", "POST", "DELETE" })
    void theControlEndpointIsNotOnTheMainPort(String method) {
        given().contentType(ContentType.JSON).body(Map.of("failureRate", 1))
                .request(method, "/fault").then().statusCode(404);
        assertEquals(0.1, failureRateGauge(), "nothing changed");
    }

    private Response put(String body) {
        return given().contentType(ContentType.JSON).body(body).put(fault);
    }
}
