package org.acme.example;

import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

@QuarkusTest
class ScenarioControlTest {

    private static final List<String> SHIPPED = List.of("fast-burn", "slow-burn", "p99-latency", "flapping-readiness");

    @TestHTTPResource(value = "/fault/scenario", management = true)
    URL scenario;

    @TestHTTPResource(value = "/fault/scenarios", management = true)
    URL scenarios;

    @TestHTTPResource(value = "/fault", management = true)
    URL fault;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @AfterEach
    void backToTheBaseline() {
        given().delete(fault).then().statusCode(200).body("source", equalTo("configuration"));
    }

    /** Each shipped scenario names the alerts it fires, and each of those is a shipped alert. */
    @Test
    void listsTheShippedScenarios() throws Exception {
        String alerts = Files.readString(Path.of("src", "main", "prometheus", "example-alerts.rules.yml"));
        JsonPath list = given().get(scenarios).then().statusCode(200).contentType(ContentType.JSON)
                .body("name", equalTo(SHIPPED))
                .body("description", everyItem(notNullValue()))
                .body("collect { it.steps.size() }", everyItem(greaterThan(0)))
                .body("steps.flatten()", everyItem(hasKey("for")))
                .extract().jsonPath();
        assertEquals(List.of("ExampleErrorBudgetFastBurn"), list.getList("fires[0]"));
        for (String alert : list.<String>getList("fires.flatten()")) {
            assertTrue(alerts.contains("- alert: " + alert + "\n"), alert + " is not a shipped alert");
        }
        assertEquals("60m", list.getString("find { it.name == 'fast-burn' }.duration"));
    }

    @Test
    void aShippedScenarioStartsByName() {
        start("{\"name\": \"fast-burn\"}").then().statusCode(200)
                .body("running", equalTo(true))
                .body("name", equalTo("fast-burn"))
                .body("step", equalTo(1))
                .body("steps", equalTo(1))
                .body("by", equalTo("PUT /fault/scenario from 127.0.0.1"))
                .body("settings.failureRate", equalTo(1.0f))
                .body("settings.failureStatuses", equalTo(Map.of("500", 1, "503", 3)));
        JsonPath running = given().get(scenario).then().statusCode(200).extract().jsonPath();
        double stepLeft = running.getDouble("stepRemainingSeconds");
        double left = running.getDouble("remainingSeconds");
        assertTrue(stepLeft > 3590 && stepLeft <= 3600, "step 1 lasts 60 minutes: " + stepLeft);
        assertTrue(left > 3590 && left <= 3600, "the scenario lasts 60 minutes: " + left);
        given().get(fault).then()
                .body("source", equalTo("scenario"))
                .body("failureRate", equalTo(1.0f))
                .body("baseline.failureRate", equalTo(0.1f))
                .body("scenario.name", equalTo("fast-burn"))
                .body("override.endsAt", notNullValue());

        ScrapedMetrics scrape = ScrapedMetrics.scrape(metrics);
        for (String name : SHIPPED) {
            assertEquals(name.equals("fast-burn") ? 1.0 : 0.0,
                    scrape.require("example_fault_scenario_active{scenario=\"" + name + "\"}"), name);
        }
        assertEquals(0.0, scrape.require("example_fault_scenario_active{scenario=\"custom\"}"));
        assertEquals(1.0, scrape.require("example_fault_scenario_step"));
        assertTrue(scrape.require("example_fault_override_remaining_seconds") > 3590);

        given().delete(scenario).then().statusCode(200).body("running", equalTo(false));
        given().get(fault).then().body("source", equalTo("configuration")).body("failureRate", equalTo(0.1f));
        scrape = ScrapedMetrics.scrape(metrics);
        assertEquals(0.0, scrape.require("example_fault_scenario_active{scenario=\"fast-burn\"}"));
        assertEquals(0.0, scrape.require("example_fault_scenario_step"));
    }

    /**
     * Three steps of 1 s: the service goes through each in turn by itself, each step applied to the baseline (not to
     * the step before), and returns to the baseline after the last.
     */
    @Test
    void aCustomScenarioStepsThroughItsTimeline() {
        long start = System.nanoTime();
        start("{\"steps\": [{\"for\": \"1s\", \"failureRate\": 1, \"failureStatuses\": {\"503\": 1}},"
                + " {\"for\": \"1s\", \"latencyMinMs\": 5, \"latencyMaxMs\": 5},"
                + " {\"for\": \"1s\", \"ready\": false}]}").then().statusCode(200)
                .body("name", equalTo("custom"))
                .body("step", equalTo(1))
                .body("steps", equalTo(3))
                .body("settings.failureRate", equalTo(1.0f));
        assertEquals(1.0, ScrapedMetrics.scrape(metrics).require("example_fault_scenario_active{scenario=\"custom\"}"));

        JsonPath second = awaitStep(2);
        assertEquals(0.1f, second.getFloat("settings.failureRate"), "step 2 applies to the baseline");
        assertEquals(5, second.getInt("settings.latencyMaxMs"));
        JsonPath third = awaitStep(3);
        assertEquals(0, third.getInt("settings.latencyMaxMs"));
        assertEquals(false, third.getBoolean("settings.ready"));
        assertEquals(3.0, ScrapedMetrics.scrape(metrics).require("example_fault_scenario_step"));

        Poll.until("the scenario to end", Duration.ofSeconds(10),
                () -> given().get(scenario).jsonPath().getBoolean("running") ? null : true,
                () -> given().get(scenario).asString());
        double elapsed = (System.nanoTime() - start) / 1e9;
        assertTrue(elapsed >= 2.9, "three steps of 1 s took " + elapsed + " s");
        given().get(fault).then().body("source", equalTo("configuration")).body("ready", equalTo(true));
        assertEquals(0.0, ScrapedMetrics.scrape(metrics).require("example_fault_scenario_active{scenario=\"custom\"}"));
    }

    @Test
    void aChangeOfTheFaultsStopsTheScenario() {
        start("{\"name\": \"p99-latency\"}").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"latencyMinMs\": 1}").put(fault).then().statusCode(200)
                .body("source", equalTo("override"))
                .body("latencyMinMs", equalTo(1))
                .body("latencyMaxMs", equalTo(400))
                .body("scenario", nullValue());
        given().get(scenario).then().body("running", equalTo(false));

        start("{\"name\": \"slow-burn\"}").then().statusCode(200);
        start("{\"name\": \"flapping-readiness\"}").then().statusCode(200)
                .body("name", equalTo("flapping-readiness")).body("steps", equalTo(20));
        given().delete(fault).then().statusCode(200).body("scenario", nullValue());
        given().get(scenario).then().body("running", equalTo(false));
        given().delete(scenario).then().statusCode(200).body("running", equalTo(false));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"name\": \"outage\"}                                     | unknown scenario outage: the shipped scenarios are fast-burn, slow-burn, p99-latency, flapping-readiness",
            "{\"name\": 1}                                              | unknown scenario 1",
            "{}                                                         | give either the name of a shipped scenario",
            "{\"name\": \"fast-burn\", \"steps\": []}                   | give either the name of a shipped scenario",
            "{\"scenario\": \"fast-burn\"}                              | unknown field 'scenario'",
            "{\"steps\": []}                                            | steps must be a list of 1 to 64 steps",
            "{\"steps\": {\"for\": \"1s\"}}                             | steps must be a list of 1 to 64 steps",
            "{\"steps\": [1]}                                           | steps[0] must be an object",
            "{\"steps\": [{\"failureRate\": 0.5}]}                      | steps[0].for is missing",
            "{\"steps\": [{\"for\": \"1s\"}, {\"for\": \"1s\", \"failureRate\": 2}]} | steps[1].failureRate must be a number in [0, 1], got '2'",
            "{\"steps\": [{\"for\": \"1s\", \"latencyMinMs\": 30, \"latencyMaxMs\": 20}]} | steps[0].latencyMinMs (30 ms) must not be greater than steps[0].latencyMaxMs (20 ms)",
            "{\"steps\": [{\"for\": \"1s\", \"rate\": 1}]}              | unknown field 'steps[0].rate'",
            "{\"steps\": [{\"for\": \"2d\"}]}                           | steps[0].for must be a duration of 1 ms to 24 h",
    })
    void invalidScenariosAreRejectedAndChangeNothing(String body, String message) {
        start(body).then().statusCode(400).body("error", containsString(message.strip()));
        given().get(scenario).then().body("running", equalTo(false));
        given().get(fault).then().body("source", equalTo("configuration"));
    }

    @Test
    void atMost64Steps() {
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            steps.add("{\"for\": \"1s\"}");
        }
        start("{\"steps\": [" + String.join(",", steps.subList(0, 64)) + "]}").then().statusCode(200)
                .body("steps", equalTo(64));
        start("{\"steps\": [" + String.join(",", steps) + "]}").then().statusCode(400)
                .body("error", containsString("1 to 64 steps"));
        given().get(scenario).then().body("steps", equalTo(64)).body("running", equalTo(true));
    }

    @Test
    void aBodyThatIsNotJsonIsUnsupported() {
        given().contentType(ContentType.TEXT).body("{\"name\": \"fast-burn\"}").put(scenario).then().statusCode(415);
        given().get(scenario).then().body("running", equalTo(false)).body("$", not(hasKey("name")));
    }

    private JsonPath awaitStep(int step) {
        return Poll.until("step " + step, Duration.ofSeconds(10), () -> {
            JsonPath running = given().get(scenario).jsonPath();
            return Integer.valueOf(step).equals(running.get("step")) ? running : null;
        }, () -> given().get(scenario).asString());
    }

    private Response start(String body) {
        return given().contentType(ContentType.JSON).body(body).put(scenario);
    }
}
