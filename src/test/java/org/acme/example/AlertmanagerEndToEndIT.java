package org.acme.example;

import org.acme.example.fault.scenario.Scenario;
import org.acme.example.fault.scenario.ShippedScenarios;
import org.acme.example.testing.AlertmanagerServer;
import org.acme.example.testing.CompressedTime;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.PrometheusServer;
import org.acme.example.testing.WebhookReceiver;
import org.acme.example.testing.WebhookReceiver.Notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path of a page, with real processes: the packaged service runs the shipped fast-burn scenario, a real
 * Prometheus (Debian's) scrapes it and evaluates the shipped rules, a real Alertmanager (Debian's) routes the alerts
 * with the shipped configuration, and a webhook receiver inside the test stands for the person paged. The clock is
 * {@value #FACTOR} times faster (a minute takes a second: scrapes, rule windows, "for", Alertmanager's group timings,
 * the scenario's steps), on copies made from the shipped files at each run (CompressedTime). Prometheus starts fresh,
 * as in the README's demo and the fresh-start cases of src/test/prometheus/example-scenarios.test.yml, whose timings
 * (page 5, ticket 16 minutes in, page resolved 22 minutes after the end) this follows within a few seconds.
 */
class AlertmanagerEndToEndIT {

    static final int FACTOR = 60;
    private static final CompressedTime TIME = new CompressedTime(FACTOR);
    private static final String PAGE = "ExampleErrorBudgetFastBurn";
    private static final String TICKET = "ExampleErrorBudgetSlowBurn";
    /** Generous against the fresh-start times above: the machine may be busy, and a scrape every second is tight. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void theFastBurnScenarioPagesThroughAlertmanager_holdsTheTicketBack_andThePageResolves(@TempDir Path dir) throws Exception {
        Scenario fastBurn = ShippedScenarios.named(ShippedScenarios.FAST_BURN).orElseThrow();
        List<Path> rules = TIME.rules(PromtoolTest.ruleFiles(), dir.resolve("rules"));
        try (WebhookReceiver receiver = WebhookReceiver.start();
                AlertmanagerServer alertmanager = AlertmanagerServer.start(dir.resolve("alertmanager"),
                        TIME.alertmanagerConfig(AlertmanagerConfigTest.CONFIG, dir.resolve("config"), receiver.url()));
                PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0.01", "EXAMPLE_TRAFFIC_RATE", "50"));
                PrometheusServer prometheus = PrometheusServer.startWithAlertmanager(dir.resolve("prometheus"),
                        "127.0.0.1:" + app.managementPort(), rules, alertmanager.address())) {
            Poll.until("the error ratio recorded", TIMEOUT,
                    () -> prometheus.value("job_uri:http_server_requests_errors:ratio_rate5m"),
                    () -> "prometheus log:\n" + prometheus.log());
            Thread.sleep(TIME.of(Duration.ofMinutes(5)).toMillis()); // the healthy baseline of the fresh-start case

            long start = System.nanoTime();
            HttpResponse<String> started = put(app, "/fault/scenario", TIME.scenario(fastBurn).encode());
            assertEquals(200, started.statusCode(), started.body());

            Notification page = Poll.until("the page at the webhook", TIMEOUT,
                    () -> last(receiver.received("/page"), "firing"),
                    () -> diagnostics(receiver, prometheus, alertmanager));
            long pagedAfter = secondsSince(start);
            assertEquals("page", page.body().getString("receiver"));
            assertEquals(1, page.body().getList("alerts").size(), page.toString());
            assertEquals(Map.of("alertname", PAGE, "severity", "page", "job", PrometheusServer.JOB, "uri", "/example"),
                    page.body().getMap("alerts[0].labels"));
            Map<String, String> annotations = page.body().getMap("alerts[0].annotations");
            assertEquals("src/site/markdown/alerts.md#exampleerrorbudgetfastburn", annotations.get("runbook_url"));
            assertTrue(annotations.get("summary").matches("/example fails [0-9.]+% of requests: the error budget burns fast"),
                    annotations.toString());
            assertTrue(annotations.get("description").startsWith(PrometheusServer.JOB + " answers 5xx to "), annotations.toString());
            assertEquals(Map.of("alertname", PAGE, "job", PrometheusServer.JOB), page.body().getMap("groupLabels"));

            // The ticket fires in Prometheus too, but Alertmanager holds it back while the page fires.
            Poll.until(TICKET + " firing in Prometheus", TIMEOUT,
                    () -> prometheus.alerts().stream().anyMatch(a -> isFiring(a, TICKET)) ? true : null,
                    () -> diagnostics(receiver, prometheus, alertmanager));
            Map<String, Object> ticket = Poll.until(TICKET + " in Alertmanager", TIMEOUT,
                    () -> alertmanager.alerts().stream().filter(a -> TICKET.equals(label(a, "alertname"))).findFirst().orElse(null),
                    () -> diagnostics(receiver, prometheus, alertmanager));
            assertEquals("suppressed", status(ticket).get("state"), ticket.toString());
            assertEquals(1, ((List<?>) status(ticket).get("inhibitedBy")).size(), ticket.toString());
            Thread.sleep(TIME.of(Duration.ofMinutes(5)).plusSeconds(2).toMillis()); // the ticket route's group_wait, and more
            assertTrue(prometheus.alerts().stream().anyMatch(a -> isFiring(a, PAGE)), "the page still fires");
            assertEquals(List.of(), receiver.received("/ticket"), "no ticket while the page fires");

            Notification resolved = Poll.until("the page resolved at the webhook", TIME.of(fastBurn.duration()).plus(TIMEOUT),
                    () -> last(receiver.received("/page"), "resolved"),
                    () -> diagnostics(receiver, prometheus, alertmanager));
            long resolvedAfter = secondsSince(start);
            assertEquals(Map.of("alertname", PAGE, "severity", "page", "job", PrometheusServer.JOB, "uri", "/example"),
                    resolved.body().getMap("alerts[0].labels"));
            assertEquals("resolved", resolved.body().getString("alerts[0].status"));
            assertTrue(resolvedAfter >= TIME.of(fastBurn.duration()).toSeconds(),
                    "the page resolved " + resolvedAfter + " s in, before the scenario's end");

            // Once the page is resolved, the ticket still firing is sent.
            Notification sent = Poll.until("the ticket at the webhook after the page", TIMEOUT,
                    () -> last(receiver.received("/ticket"), "firing"),
                    () -> diagnostics(receiver, prometheus, alertmanager));
            assertEquals(TICKET, sent.body().getString("alerts[0].labels.alertname"));
            System.out.printf("fast-burn at %dx: paged %d s after PUT /fault/scenario, resolved %d s after (the scenario"
                    + " lasts %d s), ticket sent after the page resolved%n", FACTOR, pagedAfter, resolvedAfter,
                    TIME.of(fastBurn.duration()).toSeconds());
        }
    }

    private static Notification last(List<Notification> notifications, String status) {
        return notifications.isEmpty() || !status.equals(notifications.get(notifications.size() - 1).status()) ? null
                : notifications.get(notifications.size() - 1);
    }

    private static boolean isFiring(Map<String, Object> alert, String name) {
        return name.equals(label(alert, "alertname")) && "firing".equals(alert.get("state"));
    }

    @SuppressWarnings("unchecked")
    private static String label(Map<String, Object> alert, String name) {
        return ((Map<String, String>) alert.get("labels")).get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(Map<String, Object> alert) {
        return (Map<String, Object>) alert.get("status");
    }

    private static long secondsSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toSeconds();
    }

    private static String diagnostics(WebhookReceiver receiver, PrometheusServer prometheus, AlertmanagerServer alertmanager) {
        return "webhook: " + receiver.all() + "\nprometheus alerts: " + prometheus.alerts() + "\nalertmanager alerts: "
                + alertmanager.alerts() + "\nalertmanager log:\n" + alertmanager.log();
    }

    private HttpResponse<String> put(PackagedApp app, String path, String json) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(app.managementUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
