package org.acme.example;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.acme.example.testing.MemoryCgroup;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;

/**
 * The memory growth fault against a real memory limit: the packaged jar in a 320 MiB memory cgroup (see
 * {@link MemoryCgroup}). The service reads the limit from the cgroup ({@code example_memory_limit_bytes}); asked for
 * twice the limit, growth stops before the resident memory passes 90 % of it and the process lives on; with
 * {@code allowOomKill} (operator password set), the kernel's OOM killer ends it with SIGKILL.
 */
class MemoryFaultLimitIT {

    static final long MIB = 1024 * 1024;
    static final long LIMIT = 320 * MIB;
    static final String PASSWORD = "open-sesame";
    /** What Java reports as the exit value of a process killed by SIGKILL (128 + 9). */
    static final int KILLED = 137;

    @Test
    void growthStopsAt90PercentOfTheCgroupsLimit() {
        assertTrue(MemoryCgroup.available(), "needs root and cgroup v1's memory controller at /sys/fs/cgroup/memory");
        try (MemoryCgroup cgroup = MemoryCgroup.create("memory-fault-stops", LIMIT);
                PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAULT_CONTROL_PASSWORD", PASSWORD), cgroup)) {
            assertEquals(LIMIT, ScrapedMetrics.scrape(app).require("example_memory_limit_bytes"),
                    "the limit, read from the cgroup");
            grow(app, "{\"memoryTarget\": \"640MiB\", \"memoryRate\": \"256MiB/s\"}");
            Poll.until("the growth to stop", Duration.ofSeconds(20),
                    () -> app.output().contains("Memory growth stopped at") ? true : null, app::output);
            double held = ScrapedMetrics.scrape(app).require("example_fault_memory_held_bytes");
            long rss = app.peakRssBytes();
            System.out.printf("%s: stopped holding %d MiB, peak RSS %d MiB; %s%n",
                    MemoryFaultLimitIT.class.getSimpleName(), (long) held / MIB, rss / MIB, cgroup);
            assertTrue(held >= 64 * MIB, "memory held when growth stopped: " + held / MIB + " MiB");
            assertTrue(rss <= 0.9 * LIMIT, "peak RSS " + rss / MIB + " MiB, above 90 % of " + LIMIT / MIB + " MiB");
            assertTrue(app.process().isAlive(), app::output);
            assertFalse(cgroup.oomKilled(), cgroup::toString);
            given().get(app.baseUrl() + "/live").then().statusCode(200);
        }
    }

    @Test
    void allowOomKillEndsTheProcessByTheKernelsOomKiller() {
        assertTrue(MemoryCgroup.available(), "needs root and cgroup v1's memory controller at /sys/fs/cgroup/memory");
        try (MemoryCgroup cgroup = MemoryCgroup.create("memory-fault-oom-kill", LIMIT);
                PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAULT_CONTROL_PASSWORD", PASSWORD), cgroup)) {
            grow(app, "{\"memoryTarget\": \"640MiB\", \"memoryRate\": \"256MiB/s\", \"allowOomKill\": true}");
            int exit = app.awaitExit(Duration.ofSeconds(30));
            System.out.printf("%s: exit %d; %s%n", MemoryFaultLimitIT.class.getSimpleName(), exit, cgroup);
            assertEquals(KILLED, exit, app::output);
            assertTrue(cgroup.oomKilled(), cgroup::toString);
        }
    }

    private static void grow(PackagedApp app, String body) {
        given().auth().preemptive().basic("operator", PASSWORD).contentType(ContentType.JSON).body(body)
                .put(app.managementUrl() + "/fault").then().statusCode(200);
    }
}
