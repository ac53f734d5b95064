package org.acme.example;

import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
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
                .body("latencyMin", equalTo("0s"))
                .body("latencyMax", equalTo("0s"))
                .body("ready", equalTo(true))
                .body("live", equalTo(true))
                .body("requestFaults", equalTo(false))
                .body("source", equalTo("configuration"))
                .body("baseline.failureRate", equalTo(0.1f))
                .body("baseline.source", equalTo("configuration"))
                .body("$", hasKey("overrides")).body("overrides", nullValue())
                .body("$", hasKey("scenario")).body("scenario", nullValue())
                .body("$", hasKey("file")).body("file", nullValue());
    }

    @Test
    void putChangesTheGivenFieldsAndAnswersTheWholeState() {
        put("{\"failureRate\": 1}").then()
                .statusCode(200)
                .body("failureRate", equalTo(1.0f))
                .body("latencyMin", equalTo("0s"))
                .body("latencyMax", equalTo("0s"))
                .body("source", equalTo("override"))
                .body("baseline.failureRate", equalTo(0.1f))
                .body("overrides.failureRate.value", equalTo(1.0f))
                .body("overrides.failureRate.by", equalTo("PUT /fault from 127.0.0.1"))
                .body("overrides.failureRate.endsAt", nullValue())
                .body("overrides.failureRate.remaining", nullValue())
                .body("overrides", not(hasKey("latencyMax")));
        assertEquals(0, requestExample(50).ok(), "the next requests use the new rate");

        put("{\"latencyMax\": \"5ms\"}").then()
                .statusCode(200)
                .body("failureRate", equalTo(1.0f))
                .body("latencyMax", equalTo("5ms"))
                .body("overrides.latencyMin.value", equalTo("0s"));
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
        put("{\"failureRate\": 0.75, \"latencyMin\": \"20ms\", \"latencyMax\": \"250ms\", \"ready\": false, \"live\": false}")
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
        JsonPath state = put("{\"failureRate\": 1, \"for\": \"3s\"}").then().statusCode(200)
                .body("overrides.failureRate.endsAt", notNullValue()).extract().jsonPath();
        String remaining = state.getString("overrides.failureRate.remaining");
        assertTrue(remaining.matches("\\d+ms") && Integer.parseInt(remaining.replace("ms", "")) > 0
                && Integer.parseInt(remaining.replace("ms", "")) <= 3000, "remaining " + remaining);
        double gauge = ScrapedMetrics.scrape(metrics).require("example_fault_override_remaining_seconds");
        assertTrue(gauge > 0 && gauge <= 3, "gauge " + gauge);

        Poll.until("the timed change to end", Duration.ofSeconds(10),
                () -> "configuration".equals(given().get(fault).jsonPath().getString("source")) ? true : null,
                () -> given().get(fault).asString());
        double elapsed = (System.nanoTime() - start) / 1e9;
        assertTrue(elapsed >= 2.9, "ended after " + elapsed + " s");
        given().get(fault).then().body("failureRate", equalTo(0.1f)).body("overrides", nullValue());
        assertEquals(0.0, ScrapedMetrics.scrape(metrics).require("example_fault_override_remaining_seconds"));
    }

    /**
     * The report: ready false for 30 s, then a PUT with only "for", then an empty one, left the pod unready
     * for good. Now the two later PUTs change nothing and say so, and ready ends when it was due.
     */
    @Test
    void aPutThatNamesNoSettingChangesNothingAndSaysSo() {
        put("{\"ready\": false, \"for\": \"1500ms\"}").then().statusCode(200).body("ready", equalTo(false));
        String endsAt = given().get(fault).jsonPath().getString("overrides.ready.endsAt");
        put("{\"for\": \"1m\"}").then().statusCode(400).body("error", containsString("names no setting"));
        put("{}").then().statusCode(400).body("error", containsString("names no setting"));
        given().get(fault).then().body("overrides.ready.endsAt", equalTo(endsAt));
        Poll.until("ready to end by itself", Duration.ofSeconds(10),
                () -> given().get(fault).jsonPath().getBoolean("ready") ? true : null, () -> given().get(fault).asString());
        given().get(fault).then().body("overrides", nullValue()).body("source", equalTo("configuration"));
    }

    /** Each field keeps its own end: a later PUT of another field neither stretches, shortens nor removes it. */
    @Test
    void eachFieldEndsOnItsOwn() throws InterruptedException {
        put("{\"failureRate\": 1, \"for\": \"1500ms\"}").then().statusCode(200);
        JsonPath state = put("{\"latencyMax\": \"1ms\", \"for\": \"10m\"}").then().statusCode(200)
                .body("overrides.failureRate.value", equalTo(1.0f))
                .body("overrides.latencyMax.value", equalTo("1ms"))
                .body("overrides.latencyMin.value", equalTo("0s"))
                .extract().jsonPath();
        assertEquals(state.getString("overrides.latencyMin.endsAt"), state.getString("overrides.latencyMax.endsAt"),
                "the latency bounds are one setting");
        assertTrue(state.getString("overrides.failureRate.endsAt").compareTo(state.getString("overrides.latencyMax.endsAt")) < 0,
                state.prettify());
        put("{\"live\": false}").then().statusCode(200).body("overrides.live.endsAt", nullValue());
        Poll.until("failureRate to end by itself", Duration.ofSeconds(10),
                () -> given().get(fault).jsonPath().getFloat("failureRate") == 0.1f ? true : null,
                () -> given().get(fault).asString());
        given().get(fault).then()
                .body("overrides", not(hasKey("failureRate")))
                .body("latencyMax", equalTo("1ms"))
                .body("live", equalTo(false))
                .body("overrides.live.endsAt", nullValue())
                .body("source", equalTo("override"));
        // Naming a field again sets its end anew, whatever it was: here none.
        put("{\"latencyMax\": \"1ms\"}").then().statusCode(200).body("overrides.latencyMax.endsAt", nullValue());
        put("{\"latencyMax\": \"1ms\"}").then().statusCode(400)
                .body("error", equalTo("the change changes nothing: latencyMax is already overridden with this value, until DELETE /fault"));
    }

    @Test
    void deleteReturnsToTheBaselineAtOnce() {
        put("{\"failureRate\": 1, \"latencyMax\": \"3ms\", \"for\": \"5m\"}").then().statusCode(200);
        put("{\"ready\": false}").then().statusCode(200);
        given().delete(fault).then().statusCode(200)
                .body("failureRate", equalTo(0.1f))
                .body("latencyMax", equalTo("0s"))
                .body("ready", equalTo(true))
                .body("source", equalTo("configuration"))
                .body("overrides", nullValue());
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
            "{\"latencyMin\": \"-1ms\"}                          | latencyMin must be a duration of 0 to 60s in whole milliseconds, such as 50ms, got '-1ms'",
            "{\"latencyMax\": \"PT0.0015S\"}                     | latencyMax must be a duration of 0 to 60s in whole milliseconds",
            "{\"latencyMax\": \"61s\"}                           | latencyMax must be a duration of 0 to 60s in whole milliseconds, such as 50ms, got '61s'",
            "{\"latencyMax\": 50}                              | latencyMax must be a duration of 0 to 60s in whole milliseconds, such as 50ms, got '50': a duration is text with a unit, e.g. \"50ms\"",
            "{\"latencyMax\": \"50\"}                            | got '50': a unit is required, e.g. '50ms' or '50s'",
            "{\"latencyMax\": true}                            | latencyMax must be a duration of 0 to 60s in whole milliseconds",
            "{\"latencyMin\": \"10ms\"}                          | latencyMin (10ms) must not be greater than latencyMax (0s)",
            "{\"latencyMin\": \"30ms\", \"latencyMax\": \"20ms\"} | latencyMin (30ms) must not be greater than latencyMax (20ms)",
            "{\"latencyMinMs\": 10}                            | unknown field 'latencyMinMs': allowed fields are failureRate, failureStatuses, latencyMin, latencyMax, ready, live, requestFaults, cpuBurnCores, memoryTarget, memoryRate, allowOomKill, hangRate, resetRate, crashAfter, crashExitCode and for",
            "{\"requestFaults\": \"on\"}                         | requestFaults must be true or false, got '\"on\"'",
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
            "{\"failureRate\": 0.5, \"rate\": 1}                 | unknown field 'rate': allowed fields are failureRate",
            "not json                                            | the body is not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at line 1, column 1",
            "{\"failureRate\": 0.5,}                              | the body is not valid JSON: Unexpected character ('}' (code 125)): was expecting double-quote to start field name at line 1, column 21",
            "[0.5]                                               | the body must be a JSON object such as {\"failureRate\": 0.5}, got an array",
            "0.5                                                 | the body must be a JSON object such as {\"failureRate\": 0.5}, got a number",
    })
    void invalidChangesAreRejectedAndChangeNothing(String body, String message) {
        put(body).then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", containsString(message.strip()));
        given().get(fault).then().statusCode(200).body(allOf(
                containsString("\"failureRate\":0.1"), containsString("\"latencyMin\":\"0s\""),
                containsString("\"latencyMax\":\"0s\""), containsString("\"source\":\"configuration\"")));
    }

    @Test
    void anEmptyBodyIsRejected() {
        given().contentType(ContentType.JSON).put(fault).then().statusCode(400)
                .body("error", equalTo("the body is empty: it must be a JSON object such as {\"failureRate\": 0.5}"));
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
