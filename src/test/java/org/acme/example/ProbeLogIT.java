package org.acme.example;

import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Readiness held down for a while (a fault, a scenario step, the shutdown delay) is answered at every probe, every
 * few seconds: the log says once that it went down, not once per probe.
 */
class ProbeLogIT {

    static final int PROBES = 5;

    @Test
    void probesWhileReadinessIsHeldDownAddNoLogLines() {
        try (PackagedApp app = PackagedApp.start(Map.of())) {
            given().contentType("application/json").body("{\"ready\": false}")
                    .put(app.managementUrl() + "/fault").then().statusCode(200);
            for (int i = 0; i < PROBES; i++) {
                given().get(app.baseUrl() + "/ready").then().statusCode(503);
            }
            given().get(app.baseUrl() + "/started").then().statusCode(200);
            String log = Poll.until("the fault change logged", Duration.ofSeconds(10),
                    () -> app.output().contains("Fault settings changed") ? app.output() : null, app::output);

            assertThat(log, not(containsString("Reporting health down status")));
            assertEquals(1, log.split("Fault settings changed", -1).length - 1, log);
        }
    }
}
