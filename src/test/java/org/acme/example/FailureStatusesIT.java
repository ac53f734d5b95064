package org.acme.example;

import org.acme.example.testing.HttpLoad;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The status mix set at start-up ({@code EXAMPLE_FAILURE_STATUSES}), as the requests and the metrics see it, and the
 * log's account of simulated failures: the first one at once, the others summed up once a minute.
 */
class FailureStatusesIT {

    /** 1000 failures, 3 in 4 meant to be 503: the share of 503 lies within |z| <= 4 of 0.75. */
    @Test
    void failuresFollowTheConfiguredMixAndAreLogged() {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "1",
                "EXAMPLE_FAILURE_STATUSES", "503=3, 500=1"))) {
            ScrapedMetrics metrics = ScrapedMetrics.scrape(app);
            assertEquals(0.75, metrics.require("example_failure_status_ratio{status=\"503\"}"));
            assertEquals(0.25, metrics.require("example_failure_status_ratio{status=\"500\"}"));
            given().get(app.managementUrl() + "/fault").then().statusCode(200)
                    .body("failureStatuses", equalTo(Map.of("500", 1, "503", 3)));

            HttpLoad.Result statuses = HttpLoad.get(app.httpPort(), "/example", 4).run(1000);
            assertEquals(1000, statuses.count(503) + statuses.count(500), statuses.toString());
            double z = (statuses.count(503) / 1000.0 - 0.75) / Math.sqrt(0.75 * 0.25 / 1000);
            assertTrue(Math.abs(z) <= 4, statuses + ", z = " + z);

            String log = Poll.until("the first simulated failure logged", Duration.ofSeconds(10),
                    () -> app.output().contains("with a simulated failure") ? app.output() : null, app::output);
            assertEquals(1, log.lines().filter(line -> line.contains("with a simulated failure")).count(),
                    "one line for the first, the others summed up at the end of the minute:\n" + log);
            assertTrue(log.lines().anyMatch(line -> line.contains("\"level\":\"WARN\"")
                    && line.contains("the fault settings come from the configuration")), log);
        }
    }
}
