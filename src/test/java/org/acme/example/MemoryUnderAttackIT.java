package org.acme.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.acme.example.testing.HostileClients;
import org.acme.example.testing.MemoryCgroup;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.ProductionOptions;
import org.junit.jupiter.api.Test;

/**
 * The worst combination of hostile clients we could build leaves the service a margin in a container's memory: the
 * packaged jar, with the production options, runs under a real 256 MiB limit (a memory cgroup, socket buffers
 * counted), and while every slot of both ports is held by attackers, its resident memory plus its socket buffers stay
 * under {@value #BOUND_MIB} MiB, it is not OOM-killed, and it answers {@code /live} afterwards. Before the bounds on
 * request heads (2026-12-04), the same slots with unread answers and held heads took it to 253 MiB RSS.
 * <p>
 * Needs root and cgroup v1's memory controller (the CI machines); see {@link MemoryCgroup}.
 */
class MemoryUnderAttackIT {

    static final int BOUND_MIB = 200;
    static final Duration HOLD = Duration.ofSeconds(8);

    @Test
    void theWorstCombinedAttackStaysUnder200MiB() throws Exception {
        assertTrue(MemoryCgroup.available(), "needs root and cgroup v1's memory controller at /sys/fs/cgroup/memory");
        try (MemoryCgroup cgroup = MemoryCgroup.create("memory-under-attack", ProductionOptions.CONTAINER_MEMORY_BYTES);
                PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0", "EXAMPLE_LATENCY_MIN", "60s",
                        "EXAMPLE_LATENCY_MAX", "60s", "EXAMPLE_FAULT_CONTROL_PASSWORD", "open-sesame",
                        // The longest head timeout allowed: unfinished heads are held while the attack is set up.
                        "EXAMPLE_HTTP_REQUEST_HEAD_TIMEOUT", "60s"), cgroup)) {
            long atRest = app.rssBytes();
            int main = app.httpPort();
            int management = app.managementPort();
            // 8080 (512 slots): 200 connections with 4 requests each waiting out their minute, each head just under
            // the 8 KiB limit; 100 unfinished heads of 7.5 KiB; 100 unfinished heads of 99 four-byte header lines
            // (just under the line limit), and 100 of 2,000 (refused). 9101 (64 slots): 50 connections with 4
            // scrapes each, their answers unread; and wrong passwords as fast as two clients can send them.
            try (HostileClients.Connections waiting = HostileClients.pipelined(main, "/example", 200, 4, 8_000);
                    HostileClients.Connections heads = HostileClients.unfinishedHeads(main, 100, 7_500);
                    HostileClients.Connections tinyLines = HostileClients.unfinishedHeads(main, 100, 99 * 4, "a:\r\n");
                    HostileClients.Connections manyTinyLines = HostileClients.unfinishedHeads(main, 100, 8_000, "a:\r\n");
                    HostileClients.Connections scrapes = HostileClients.unreadPipelined(management, "/metrics", 50, 4,
                            Duration.ofSeconds(2));
                    HostileClients.Flood guesses = HostileClients.wrongPasswords(management, List.of("127.0.0.1"));
                    HostileClients.Flood moreGuesses = HostileClients.wrongPasswords(management, List.of("127.0.0.2"))) {
                Thread.sleep(HOLD.toMillis());
                long peakRss = app.peakRssBytes();
                long socketPeak = cgroup.maxSocketBytes();
                System.out.printf("%s: RSS at rest %d MiB, peak %d MiB; %s%n", MemoryUnderAttackIT.class.getSimpleName(),
                        atRest >> 20, peakRss >> 20, cgroup);
                assertTrue(app.process().isAlive(), () -> "the service died: " + cgroup + "\n" + app.output());
                assertTrue(peakRss + socketPeak < BOUND_MIB * 1024L * 1024, () -> "peak RSS " + (peakRss >> 20)
                        + " MiB plus socket buffers " + (socketPeak >> 20) + " MiB: " + cgroup);
                assertEquals(Map.of("open", 200), waiting.outcomes(), "requests waiting, within the limits");
                assertEquals(Map.of("open", 100), heads.outcomes(), "unfinished heads, within the limits");
                assertEquals(Map.of("open", 100), tinyLines.outcomes(), "heads of 99 tiny lines, within the limits");
                assertFalse(manyTinyLines.outcomes().containsKey("open"), "heads of 2,000 tiny lines are refused");
                assertTrue(guesses.connections() + moreGuesses.connections() > 0, guesses + " " + moreGuesses);
            }
            assertFalse(cgroup.oomKilled(), cgroup::toString);
            assertEquals("HTTP/1.1 200 OK", HostileClients.exchangeFrom("127.0.0.1", main,
                    "GET /live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            assertFalse(app.output().contains("OutOfMemoryError"), app::output);
        }
    }
}
