package org.acme.example;

import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.PrometheusServer;
import org.acme.example.testing.Traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path users take: a real Prometheus scrapes the packaged service every second and evaluates the shipped
 * rules (src/main/prometheus/*.rules.yml) every second; the assertions go through Prometheus' HTTP API.
 */
class PrometheusEndToEndIT {

    private static final String JOB = PrometheusServer.JOB;
    private static final String ERROR_RATIO = "job_uri:http_server_requests_errors:ratio_rate5m{job=\"" + JOB
            + "\", uri=\"/example\"}";
    /** Requests Prometheus has seen in the last 5 minutes, from the scraped counters. */
    private static final String REQUESTS_SEEN = "sum(increase(http_server_requests_seconds_count{job=\"" + JOB
            + "\", uri=\"/example\"}[5m]))";
    /**
     * Enough requests for a tight error ratio: with 1000 requests failing with probability 0.5, the observed
     * ratio has a standard deviation of 0.016; the ±0.1 bound below is 6 of them.
     */
    private static final double MIN_REQUESTS = 1000;
    private static final Set<String> AVAILABILITY_ALERTS = Set.of("ExampleErrorBudgetFastBurn", "ExampleErrorBudgetSlowBurn");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void halfOfTheRequestsFailing_errorRatioIsHalf_andTheFastBurnAlertIsActive(@TempDir Path dir) throws IOException {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0.5"));
                Traffic traffic = Traffic.start(app.baseUrl());
                PrometheusServer prometheus = PrometheusServer.start(dir, "127.0.0.1:" + app.managementPort(),
                        PromtoolTest.ruleFiles())) {
            assertTargetUp(prometheus);
            awaitRequestsSeen(prometheus, traffic);

            double errorRatio = prometheus.value(ERROR_RATIO);
            System.out.printf("failure rate 0.5: Prometheus computes error ratio %.3f over %.0f requests (%s)%n",
                    errorRatio, prometheus.value(REQUESTS_SEEN), traffic);
            assertTrue(Math.abs(errorRatio - 0.5) <= 0.1, "error ratio computed by Prometheus: " + errorRatio);

            Map<String, Object> alert = Poll.until("ExampleErrorBudgetFastBurn pending or firing", TIMEOUT,
                    () -> prometheus.alerts().stream()
                            .filter(a -> "ExampleErrorBudgetFastBurn".equals(labels(a).get("alertname")))
                            .findFirst().orElse(null),
                    () -> "alerts: " + prometheus.alerts() + "\n" + traffic);
            System.out.println("failure rate 0.5: ExampleErrorBudgetFastBurn is " + alert.get("state") + " since "
                    + alert.get("activeAt"));
            assertTrue(Set.of("pending", "firing").contains(alert.get("state")), alert.toString());
            assertEquals(Map.of("alertname", "ExampleErrorBudgetFastBurn", "severity", "page", "job", JOB, "uri", "/example"),
                    labels(alert));
            assertRulesHealthy(prometheus);
        }
    }

    @Test
    void noRequestFailing_errorRatioIsZero_andNoAvailabilityAlertIsActive(@TempDir Path dir) throws IOException {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0"));
                Traffic traffic = Traffic.start(app.baseUrl());
                PrometheusServer prometheus = PrometheusServer.start(dir, "127.0.0.1:" + app.managementPort(),
                        PromtoolTest.ruleFiles())) {
            assertTargetUp(prometheus);
            awaitRequestsSeen(prometheus, traffic);

            assertEquals(0.0, prometheus.value(ERROR_RATIO), "error ratio computed by Prometheus");
            // The alerts must have been evaluated on these data, a few times, to mean anything.
            Instant seen = Instant.now().plusSeconds(3);
            Poll.until("the availability alerts evaluated after " + seen, TIMEOUT,
                    () -> availabilityRules(prometheus).stream()
                            .allMatch(rule -> lastEvaluation(rule).isAfter(seen)) ? true : null,
                    () -> "rules: " + prometheus.alertingRules());

            for (Map<String, Object> rule : availabilityRules(prometheus)) {
                assertEquals("inactive", rule.get("state"), rule.toString());
                assertEquals("ok", rule.get("health"), rule.toString());
            }
            assertEquals(List.of(), prometheus.alerts().stream()
                    .filter(a -> AVAILABILITY_ALERTS.contains(labels(a).get("alertname"))).toList());
            assertRulesHealthy(prometheus);
        }
    }

    private static void assertTargetUp(PrometheusServer prometheus) {
        Poll.until("the target to be scraped", TIMEOUT,
                () -> prometheus.value("up{job=\"" + JOB + "\"}"),
                () -> "targets: " + prometheus.api("/api/v1/targets").prettify());
        assertEquals(1.0, prometheus.value("up{job=\"" + JOB + "\"}"),
                () -> "targets: " + prometheus.api("/api/v1/targets").prettify());
    }

    private static void awaitRequestsSeen(PrometheusServer prometheus, Traffic traffic) {
        Poll.until(MIN_REQUESTS + " requests seen by Prometheus, and the error ratio recorded", TIMEOUT,
                () -> {
                    Double seen = prometheus.value(REQUESTS_SEEN);
                    return seen != null && seen >= MIN_REQUESTS && prometheus.value(ERROR_RATIO) != null ? seen : null;
                },
                () -> "requests seen: " + prometheus.value(REQUESTS_SEEN) + ", error ratio: "
                        + prometheus.value(ERROR_RATIO) + "\n" + traffic + "\nprometheus log:\n" + prometheus.log());
    }

    /** Every shipped rule (recording and alerting) is loaded and evaluates without error on the real server. */
    private static void assertRulesHealthy(PrometheusServer prometheus) throws IOException {
        List<Map<String, Object>> rules = prometheus.api("/api/v1/rules").getList("data.groups.rules.flatten()");
        assertEquals(PromtoolTest.shippedRuleCount(), rules.size(), "rules loaded");
        for (Map<String, Object> rule : rules) {
            assertEquals("ok", rule.get("health"), rule.toString());
        }
    }

    private static List<Map<String, Object>> availabilityRules(PrometheusServer prometheus) {
        List<Map<String, Object>> rules = prometheus.alertingRules().stream()
                .filter(rule -> AVAILABILITY_ALERTS.contains(rule.get("name"))).toList();
        assertEquals(AVAILABILITY_ALERTS.size(), rules.size(), "availability alerting rules: " + rules);
        return rules;
    }

    private static Instant lastEvaluation(Map<String, Object> rule) {
        return OffsetDateTime.parse((String) rule.get("lastEvaluation")).toInstant();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> labels(Map<String, Object> alert) {
        return (Map<String, Object>) alert.get("labels");
    }
}
