package org.acme.example.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.util.List;

import org.acme.example.testing.ScrapedMetrics;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class CpuMetricsTest {

    private static final long BURN_NANOS = 3_000_000_000L;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void micrometersSystemMetersAreServedOnceEach() {
        ScrapedMetrics scrape = ScrapedMetrics.scrape(metrics);
        for (String name : List.of("process_cpu_usage", "process_cpu_time_ns_total", "system_cpu_usage",
                "system_cpu_count", "system_load_average_1m", "process_uptime_seconds", "process_start_time_seconds",
                "process_files_open_files", "process_files_max_files")) {
            assertEquals(1, scrape.samples(name).size(), name);
        }
        assertEquals(Runtime.getRuntime().availableProcessors(), scrape.require("system_cpu_count"));
    }

    /**
     * The service runs in this JVM, so CPU time this thread burns between two scrapes is the process's. The gauge's
     * window ends at the second scrape and started at the first one, or up to a second before it (a reading sooner
     * than that after another keeps the window open): the usage is at least the burned time over that window.
     */
    @Test
    void processCpuUsageShowsTheCpuTimeUsedBetweenScrapes() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        ScrapedMetrics.scrape(metrics);
        long burnStart = threads.getCurrentThreadCpuTime();
        long deadline = System.nanoTime() + 10 * BURN_NANOS;
        long spins = 0;
        while (threads.getCurrentThreadCpuTime() - burnStart < BURN_NANOS && System.nanoTime() < deadline) {
            spins++;
        }
        long burned = threads.getCurrentThreadCpuTime() - burnStart;
        double usage = ScrapedMetrics.scrape(metrics).require("process_cpu_usage");
        long window = System.nanoTime() - start + CpuUsage.MIN_WINDOW_NANOS;

        double atLeast = (double) burned / window / Runtime.getRuntime().availableProcessors();
        assertTrue(usage >= 0.95 * atLeast && usage <= 1.0,
                "process_cpu_usage " + usage + " after burning " + burned / 1e9 + " s of CPU (" + spins
                        + " checks) in a window of at most " + window / 1e9 + " s: expected at least " + atLeast);
    }
}
