package org.acme.example;

import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
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

    private static final List<String> SHIPPED = List.of("fast-burn", "slow-burn", "p99-latency", "flapping-readiness",
            "memory-leak", "cpu-saturation", "connection-resets");

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
        String alerts = Files.readString(Path.of("src", "main", "prometheus", "example-alerts.rules.yml"))
                + Files.readString(Path.of("src", "main", "prometheus", "example-saturation.rules.yml"));
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
        assertEquals("1h", list.getString("find { it.name == 'fast-burn' }.duration"));
    }

    @Test
    void aShippedScenarioStartsByName() {
        start("{\"name\": \"fast-burn\"}").then().statusCode(200)
                .body("name", equalTo("fast-burn"))
                .body("step", equalTo(1))
                .body("steps", equalTo(1))
                .body("by", equalTo("PUT /fault/scenario from 127.0.0.1"))
                .body("settings.failureRate", equalTo(1.0f))
                .body("settings.failureStatuses", equalTo(Map.of("500", 1, "503", 3)));
        JsonPath running = given().get(scenario).then().statusCode(200).extract().jsonPath();
        double stepLeft = seconds(running.getString("stepRemaining"));
        double left = seconds(running.getString("remaining"));
        assertTrue(stepLeft > 3590 && stepLeft <= 3600, "step 1 lasts 60 minutes: " + stepLeft);
        assertTrue(left > 3590 && left <= 3600, "the scenario lasts 60 minutes: " + left);
        given().get(fault).then()
                .body("source", equalTo("scenario"))
                .body("failureRate", equalTo(1.0f))
                .body("baseline.failureRate", equalTo(0.1f))
                .body("scenario.name", equalTo("fast-burn"))
                .body("scenario.endsAt", notNullValue())
                .body("overrides", nullValue());

        ScrapedMetrics scrape = ScrapedMetrics.scrape(metrics);
        for (String name : SHIPPED) {
            assertEquals(name.equals("fast-burn") ? 1.0 : 0.0,
                    scrape.require("example_fault_scenario_active{scenario=\"" + name + "\"}"), name);
        }
        assertEquals(0.0, scrape.require("example_fault_scenario_active{scenario=\"custom\"}"));
        assertEquals(1.0, scrape.require("example_fault_scenario_step"));
        assertTrue(scrape.require("example_fault_override_remaining_seconds") > 3590);

        given().delete(scenario).then().statusCode(200).body(equalTo("null"));
        given().get(fault).then().body("source", equalTo("configuration")).body("failureRate", equalTo(0.1f));
        scrape = ScrapedMetrics.scrape(metrics);
        assertEquals(0.0, scrape.require("example_fault_scenario_active{scenario=\"fast-burn\"}"));
        assertEquals(0.0, scrape.require("example_fault_scenario_step"));
    }

    /**
     * Three steps of 1 s: the service goes through each in turn by itself, each step above the baseline (not above
     * the step before), and returns to the baseline after the last.
     */
    @Test
    void aCustomScenarioStepsThroughItsTimeline() {
        long start = System.nanoTime();
        start("{\"steps\": [{\"for\": \"1s\", \"failureRate\": 1, \"failureStatuses\": {\"503\": 1}},"
                + " {\"for\": \"1s\", \"latencyMin\": \"5ms\", \"latencyMax\": \"5ms\"},"
                + " {\"for\": \"1s\", \"ready\": false}]}").then().statusCode(200)
                .body("name", equalTo("custom"))
                .body("step", equalTo(1))
                .body("steps", equalTo(3))
                .body("settings.failureRate", equalTo(1.0f));
        assertEquals(1.0, ScrapedMetrics.scrape(metrics).require("example_fault_scenario_active{scenario=\"custom\"}"));

        awaitStep(2);
        JsonPath second = given().get(fault).jsonPath();
        assertEquals(0.1f, second.getFloat("failureRate"), "step 2 sets its fields above the baseline: " + second.prettify());
        assertEquals("5ms", second.getString("latencyMax"));
        awaitStep(3);
        JsonPath third = given().get(fault).jsonPath();
        assertEquals("0s", third.getString("latencyMax"));
        assertEquals(false, third.getBoolean("ready"));
        assertEquals(Map.of("for", "1s", "ready", false), third.getMap("scenario.settings"), "what step 3 sets");
        assertEquals(3.0, ScrapedMetrics.scrape(metrics).require("example_fault_scenario_step"));

        Poll.until("the scenario to end", Duration.ofSeconds(10),
                () -> "null".equals(given().get(scenario).asString()) ? true : null,
                () -> given().get(scenario).asString());
        double elapsed = (System.nanoTime() - start) / 1e9;
        assertTrue(elapsed >= 2.9, "three steps of 1 s took " + elapsed + " s");
        given().get(fault).then().body("source", equalTo("configuration")).body("ready", equalTo(true));
        assertEquals(0.0, ScrapedMetrics.scrape(metrics).require("example_fault_scenario_active{scenario=\"custom\"}"));
    }

    /**
     * The saturation scenarios run without the operator password (none is set here): the CPU burn leaves a share of
     * the cores free, the memory growth stops short of the limit. Each is sized from this machine.
     */
    @Test
    void theSaturationScenariosNeedNoPasswordAndAreSizedFromTheMachine() {
        int cores = Runtime.getRuntime().availableProcessors();
        start("{\"name\": \"cpu-saturation\"}").then().statusCode(200)
                .body("settings.cpuBurnCores", equalTo((float) (0.95 * cores)));
        assertEquals(0.95 * cores, ScrapedMetrics.scrape(metrics).require("example_fault_cpu_burn_cores"), 1e-9);
        start("{\"name\": \"memory-leak\"}").then().statusCode(200)
                .body("settings.memoryRate", equalTo("1MiB/s"))
                .body("settings.allowOomKill", equalTo(false));
        JsonPath state = given().get(fault).then().statusCode(200).extract().jsonPath();
        double mib = 1024 * 1024;
        assertEquals(Math.floor(ScrapedMetrics.scrape(metrics).require("example_memory_limit_bytes") / mib) * mib,
                ScrapedMetrics.scrape(metrics).require("example_fault_memory_target_bytes"), state.prettify());
        assertTrue(state.getString("memoryTarget").matches("\\d+(MiB|GiB)"), state.getString("memoryTarget"));
        assertEquals(0.0f, state.getFloat("cpuBurnCores"), "the step before is replaced: " + state.prettify());
    }

    /** Overrides of PUT /fault stay above a scenario's steps, each until its own end; the scenario runs on below. */
    @Test
    void overridesStayAboveARunningScenario() {
        start("{\"name\": \"p99-latency\"}").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"latencyMin\": \"1ms\"}").put(fault).then().statusCode(200)
                .body("source", equalTo("override"))
                .body("latencyMin", equalTo("1ms"))
                .body("latencyMax", equalTo("400ms"))
                .body("overrides.latencyMax.value", equalTo("400ms"))
                .body("scenario.name", equalTo("p99-latency"));
        given().get(scenario).then().body("name", equalTo("p99-latency"));

        // A scenario replaces the running one, and leaves the overrides.
        start("{\"name\": \"slow-burn\"}").then().statusCode(200);
        start("{\"name\": \"flapping-readiness\"}").then().statusCode(200)
                .body("name", equalTo("flapping-readiness")).body("steps", equalTo(20));
        given().get(fault).then().body("latencyMin", equalTo("1ms")).body("ready", equalTo(false))
                .body("failureRate", equalTo(0.0f));
        // Stopping the scenario leaves the overrides too; DELETE /fault ends everything.
        given().delete(scenario).then().statusCode(200).body(equalTo("null"));
        given().get(fault).then().body("latencyMin", equalTo("1ms")).body("failureRate", equalTo(0.1f))
                .body("scenario", nullValue());
        start("{\"name\": \"slow-burn\"}").then().statusCode(200);
        given().delete(fault).then().statusCode(200).body("scenario", nullValue()).body("overrides", nullValue());
        given().get(scenario).then().body(equalTo("null"));
        given().delete(scenario).then().statusCode(200).body(equalTo("null"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"name\": \"outage\"}                                     | unknown scenario outage: the shipped scenarios are fast-burn, slow-burn, p99-latency, flapping-readiness, memory-leak, cpu-saturation, connection-resets",
            "{\"name\": 1}                                              | unknown scenario 1",
            "{}                                                         | give either the name of a shipped scenario",
            "{\"name\": \"fast-burn\", \"steps\": []}                   | give either the name of a shipped scenario",
            "{\"scenario\": \"fast-burn\"}                              | unknown field 'scenario'",
            "{\"steps\": []}                                            | steps must be a list of 1 to 64 steps",
            "{\"steps\": {\"for\": \"1s\"}}                             | steps must be a list of 1 to 64 steps",
            "{\"steps\": [1]}                                           | steps[0] must be an object",
            "{\"steps\": [{\"failureRate\": 0.5}]}                      | steps[0].for is missing",
            "{\"steps\": [{\"for\": \"1s\"}, {\"for\": \"1s\", \"failureRate\": 2}]} | steps[1].failureRate must be a number in [0, 1], got '2'",
            "{\"steps\": [{\"for\": \"1s\", \"latencyMin\": \"30ms\", \"latencyMax\": \"20ms\"}]} | steps[0].latencyMin (30ms) must not be greater than steps[0].latencyMax (20ms)",
            "{\"steps\": [{\"for\": \"1s\", \"latencyMin\": \"30ms\"}]} | steps[0].latencyMin (30ms) must not be greater than steps[0].latencyMax (0s)",
            "{\"name\": \"fast-burn\"                                | the body is not valid JSON: Unexpected end-of-input: expected close marker for Object (start marker at [line: 1, column: 1]) at line 1, column 21",
            "{\"steps\": [{\"for\": \"1s\", \"rate\": 1}]}              | unknown field 'steps[0].rate'",
            "{\"steps\": [{\"for\": \"2d\"}]}                           | steps[0].for must be a duration of 1 ms to 24 h",
    })
    void invalidScenariosAreRejectedAndChangeNothing(String body, String message) {
        start(body).then().statusCode(400).body("error", containsString(message.strip()));
        given().get(scenario).then().body(equalTo("null"));
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
        given().get(scenario).then().body("steps", equalTo(64)).body("name", equalTo("custom"));
    }

    @Test
    void aBodyThatIsNotJsonIsUnsupported() {
        given().contentType(ContentType.TEXT).body("{\"name\": \"fast-burn\"}").put(scenario).then().statusCode(415);
        given().get(scenario).then().body(equalTo("null"));
    }

    private JsonPath awaitStep(int step) {
        return Poll.until("step " + step, Duration.ofSeconds(10), () -> {
            JsonPath running = given().get(scenario).jsonPath();
            return Integer.valueOf(step).equals(running.get("step")) ? running : null;
        }, () -> given().get(scenario).asString());
    }

    /** A remaining time as the service shows it (e.g. "359512ms", "6m"), in seconds. */
    private static double seconds(String duration) {
        return io.quarkus.runtime.configuration.DurationConverter.parseDuration(duration).toMillis() / 1000.0;
    }

    private Response start(String body) {
        return given().contentType(ContentType.JSON).body(body).put(scenario);
    }
}
