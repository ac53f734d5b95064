package org.acme.example;

import org.acme.example.testing.ConfigMapVolume;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * One fault file for the whole fleet: two packaged instances read the same file from a directory laid out as the
 * kubelet lays out a ConfigMap volume, and follow it when it is swapped atomically, as {@code kubectl apply} of the
 * ConfigMap makes the kubelet do.
 */
class FaultFileIT {

    /** The file is read once a second; a busy machine may add a few seconds. */
    private static final Duration CONVERGE = Duration.ofSeconds(15);

    @Test
    void twoInstancesFollowTheFileAndKeepTheirStateWhileItIsInvalid(@TempDir Path dir) throws IOException {
        ConfigMapVolume volume = ConfigMapVolume.create(dir.resolve("volume"), "fault.json");
        Map<String, String> env = Map.of("EXAMPLE_FAULT_FILE", volume.file().toString(), "EXAMPLE_FAILURE_RATE", "0.1");
        // The ConfigMap does not exist yet (an optional volume is then empty): the configuration alone applies.
        try (PackagedApp first = PackagedApp.start(env)) {
            assertEquals("configuration", state(first).getString("baseline.source"));
            assertEquals(true, state(first).getBoolean("file.valid"));

            volume.publish("{\"failureRate\": 0.5, \"failureStatuses\": {\"503\": 1}}");
            try (PackagedApp second = PackagedApp.start(env)) {
                // The second one reads the file at start-up, the first one when it appears.
                List<PackagedApp> fleet = List.of(first, second);
                awaitAll(fleet, "the first content", s -> s.getFloat("failureRate") == 0.5f);
                for (PackagedApp app : fleet) {
                    JsonPath state = state(app);
                    assertEquals("file", state.getString("source"));
                    assertEquals(Map.of("503", 1), state.getMap("failureStatuses"));
                    assertEquals(1.0, ScrapedMetrics.scrape(app).require("example_fault_file_valid"));
                }

                long swapped = System.nanoTime();
                volume.publish("{\"failureRate\": 0.2, \"latencyMax\": \"5ms\"}");
                awaitAll(fleet, "the swapped content", s -> s.getFloat("failureRate") == 0.2f);
                System.out.printf("both instances applied the swapped file within %d ms%n",
                        (System.nanoTime() - swapped) / 1_000_000);
                for (PackagedApp app : fleet) {
                    assertEquals("5ms", state(app).getString("latencyMax"));
                    assertEquals(Map.of("500", 1), state(app).getMap("failureStatuses"), "the configured mix again");
                }

                int logFrom = first.output().length();
                volume.publish("{\"failureRate\": 2}");
                awaitAll(fleet, "the invalid file noticed", s -> !s.getBoolean("file.valid"));
                for (PackagedApp app : fleet) {
                    JsonPath state = state(app);
                    assertEquals(0.2f, state.getFloat("failureRate"), "nothing changed");
                    assertEquals("is invalid: failureRate must be a number in [0, 1], got '2'", state.getString("file.error"));
                    assertEquals(0.0, ScrapedMetrics.scrape(app).require("example_fault_file_valid"));
                }
                Poll.pause();
                Poll.pause();
                Poll.pause(); // several more reads of the same invalid file
                String log = first.output().substring(logFrom);
                assertEquals(1, log.lines().filter(line -> line.contains("WARN") && line.contains("is invalid")).count(),
                        "logged once:\n" + log);

                // An override on one instance stays above the baseline the file sets, until it ends; a scenario's
                // step on the other stays above it for the fields the step sets, and the file shows through for the
                // others.
                given().contentType(ContentType.JSON).body("{\"failureRate\": 1, \"for\": \"3s\"}")
                        .put(first.managementUrl() + "/fault").then().statusCode(200);
                given().contentType(ContentType.JSON).body("{\"steps\": [{\"for\": \"10m\", \"failureStatuses\": {\"504\": 1}}]}")
                        .put(second.managementUrl() + "/fault/scenario").then().statusCode(200);
                volume.publish("{\"failureRate\": 0.3, \"failureStatuses\": {\"502\": 1}}");
                awaitAll(fleet, "the fixed file", s -> s.getBoolean("file.valid") && s.getFloat("baseline.failureRate") == 0.3f);
                assertEquals(1.0f, state(first).getFloat("failureRate"), "the override is still in force");
                assertEquals(Map.of("502", 1), state(first).getMap("failureStatuses"), "the file's, under the override");
                assertEquals(0.3f, state(second).getFloat("failureRate"), "the file's: the step does not set it");
                assertEquals(Map.of("504", 1), state(second).getMap("failureStatuses"), "the step's, above the file");
                given().delete(second.managementUrl() + "/fault/scenario").then().statusCode(200);
                assertEquals(Map.of("502", 1), state(second).getMap("failureStatuses"), "the file's again");
                assertEquals(1.0, ScrapedMetrics.scrape(first).require("example_fault_file_valid"));
                assertTrue(first.output().contains("is valid again"), first.output());
                awaitAll(List.of(first), "the override's end", s -> s.getFloat("failureRate") == 0.3f);

                // The ConfigMap is deleted: back to the configuration.
                volume.delete();
                awaitAll(fleet, "the configuration again", s -> "configuration".equals(s.getString("source")));
                for (PackagedApp app : fleet) {
                    assertEquals(0.1f, state(app).getFloat("failureRate"));
                    assertEquals("0s", state(app).getString("latencyMax"));
                }
            }
        }
    }

    private static void awaitAll(List<PackagedApp> apps, String what, Predicate<JsonPath> condition) {
        for (PackagedApp app : apps) {
            Poll.until(what + " on :" + app.managementPort(), CONVERGE,
                    () -> condition.test(state(app)) ? true : null,
                    () -> state(app).prettify() + "\n" + app.output());
        }
    }

    private static JsonPath state(PackagedApp app) {
        return given().get(app.managementUrl() + "/fault").then().statusCode(200).extract().jsonPath();
    }
}
