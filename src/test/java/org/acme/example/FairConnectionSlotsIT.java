package org.acme.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.acme.example.testing.HostileClients;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.PeriodicProbe;
import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No client can keep Kubernetes' probes or Prometheus' scrapes out by filling the connection slots of a port (512 on
 * 8080, 64 on 9101). While an attack runs on both ports, from one address or from 32 (127.0.0.2 and up; loopback
 * answers to all of 127/8), a {@code /live} probe on a new connection every 0.5 s and a scrape of {@code /metrics} on
 * a new connection every second, from 127.0.0.1, must each succeed at least {@value #BOUND} of the time, from the
 * moment the attack has made more connections than the port holds: with the 20 probes and 10 scrapes of a run's
 * {@link #ATTACK}, every one of them. Before the slots were shared out (2026-12-04), the idle connections refused 80
 * of 84 probes and 30 of 33 scrapes, and the resets 10 of 36 probes and 8 of 20 scrapes: at those rates, all 20
 * probes and all 10 scrapes of a run get through less than once in 100,000 runs.
 */
class FairConnectionSlotsIT {

    static final double BOUND = 0.99;
    static final Duration ATTACK = Duration.ofSeconds(10);
    static final int MAIN_CAP = 512;
    static final int MANAGEMENT_CAP = 64;

    @ParameterizedTest(name = "from {0} addresses")
    @ValueSource(ints = { 1, 32 })
    void idleKeepAliveConnectionsDoNotLockOutProbesOrScrapes(int addresses) throws Exception {
        List<String> sources = HostileClients.sourceAddresses(addresses);
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0"))) {
            // One request on each new connection, then silence: 100 connections a second fill 8080 in 5 s, 10 fill
            // 9101 in 6.4 s, and the attacker leaves every one of them open.
            try (HostileClients.Flood main = HostileClients.idleKeepAlive(app.httpPort(), "/live", sources, 100, 4 * MAIN_CAP);
                    HostileClients.Flood management = HostileClients.idleKeepAlive(app.managementPort(), "/metrics",
                            sources, 10, 4 * MANAGEMENT_CAP)) {
                probeDuringAttack(app, main, management);
            }
            assertDenialsLogged(app, sources);
        }
    }

    @ParameterizedTest(name = "from {0} addresses")
    @ValueSource(ints = { 1, 32 })
    void connectAndResetFloodsDoNotLockOutProbesOrScrapes(int addresses) throws Exception {
        List<String> sources = HostileClients.sourceAddresses(addresses);
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0"))) {
            try (HostileClients.Flood main = HostileClients.connectAndReset(app.httpPort(), sources);
                    HostileClients.Flood management = HostileClients.connectAndReset(app.managementPort(), sources)) {
                probeDuringAttack(app, main, management);
            }
        }
    }

    private static void probeDuringAttack(PackagedApp app, HostileClients.Flood main, HostileClients.Flood management)
            throws InterruptedException {
        // From the moment both ports have had more connections than they hold.
        Poll.until("the attack to fill both ports", Duration.ofSeconds(30),
                () -> main.connections() > MAIN_CAP && management.connections() > MANAGEMENT_CAP ? true : null,
                () -> "attack on 8080: " + main + ", on 9101: " + management);
        PeriodicProbe live = PeriodicProbe.start(app.httpPort(), "/live", Duration.ofMillis(500), Duration.ofSeconds(3));
        PeriodicProbe scrape = PeriodicProbe.start(app.managementPort(), "/metrics", Duration.ofSeconds(1),
                Duration.ofSeconds(10));
        Thread.sleep(ATTACK.toMillis());
        live.close();
        scrape.close();
        ScrapedMetrics metrics = ScrapedMetrics.scrape(app);
        String seen = "probes " + live.outcomes() + ", scrapes " + scrape.outcomes() + "; attack on 8080: " + main
                + ", on 9101: " + management + "; " + metrics.text().lines()
                        .filter(line -> line.startsWith("example_connections_")).toList();
        System.out.println(FairConnectionSlotsIT.class.getSimpleName() + ": " + seen);
        assertTrue(live.share("HTTP/1.1 200 OK") >= BOUND, () -> "probes answered 200: " + seen + "\n" + app.output());
        assertTrue(scrape.share("HTTP/1.1 200 OK") >= BOUND, () -> "scrapes answered 200: " + seen + "\n" + app.output());
        assertTrue(app.process().isAlive(), app::output);
    }

    /** Each full port said so in the log, naming an attacker's address. */
    private static void assertDenialsLogged(PackagedApp app, List<String> attackers) {
        for (String port : new String[] { "Port " + app.httpPort() + " (http) full", "Port " + app.managementPort()
                + " (management) full" }) {
            assertTrue(app.output().lines().anyMatch(line -> line.contains(port)
                    && attackers.stream().anyMatch(attacker -> line.contains(attacker + " "))),
                    () -> "no line with '" + port + "' and an attacker's address:\n" + app.output());
        }
    }
}
