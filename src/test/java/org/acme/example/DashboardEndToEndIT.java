package org.acme.example;

import org.acme.example.testing.GrafanaDashboard;
import org.acme.example.testing.GrafanaDashboard.Query;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.PrometheusServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of the shipped dashboard, run against a real Prometheus that scrapes the packaged service every
 * second (with the shipped rules and exemplar storage), with tracing on, while the service's own traffic generator
 * sends requests and faults are on: about half of the requests fail, each answer is delayed 20 ms or more, and the
 * failure rate and the latency change once during the run (for the annotations). Each query is sent as Grafana
 * would send it (the template variables and {@code $__rate_interval} replaced, for all instances and for the one
 * instance) and must return data; where the value is known it must be right. The exemplars of the latency graph
 * must name traces that the service logged.
 */
class DashboardEndToEndIT {

    private static final String JOB = PrometheusServer.JOB;
    private static final double FAILURE_RATE = 0.5;
    /** The failure rate before the change: close enough that the error ratios over 5 minutes stay near 0.5. */
    private static final double FAILURE_RATE_BEFORE = 0.45;
    private static final double TRAFFIC_RATE = 100;
    private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);
    /** Enough requests for the error ratios: over 1000 requests failing with probability 0.5, one standard deviation is 0.016. */
    private static final double MIN_REQUESTS = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final boolean NATIVE = "native".equals(System.getProperty("packaged.kind"));

    @TempDir
    static Path dir;
    static PackagedApp app;
    static PrometheusServer prometheus;
    static String instance;
    static Instant faultChanged;

    @BeforeAll
    static void startServiceAndPrometheus() throws IOException, InterruptedException {
        app = PackagedApp.start(Map.of(
                "EXAMPLE_FAILURE_RATE", String.valueOf(FAILURE_RATE_BEFORE),
                "EXAMPLE_TRAFFIC_RATE", String.valueOf(TRAFFIC_RATE),
                "EXAMPLE_LATENCY_MIN", "20ms",
                "EXAMPLE_LATENCY_MAX", "20ms",
                "QUARKUS_OTEL_SDK_DISABLED", "false",
                // Every simulated failure in the log, with its trace id (see latencyExemplarsNameTracesInTheServiceLog).
                "QUARKUS_LOG_CATEGORY__ORG_ACME_EXAMPLE_ENDPOINT__LEVEL", "DEBUG"));
        instance = "127.0.0.1:" + app.managementPort();
        prometheus = PrometheusServer.startWithExemplars(dir, instance, PromtoolTest.ruleFiles());
        String seen = "sum(increase(http_server_requests_seconds_count{job=\"" + JOB + "\", uri=\"/example\"}[5m]))";
        Poll.until(MIN_REQUESTS + " requests seen by Prometheus", TIMEOUT, () -> {
            Double requests = prometheus.value(seen);
            return requests != null && requests >= MIN_REQUESTS ? requests : null;
        }, () -> "seen: " + prometheus.value(seen) + "\nservice log:\n" + tail(app.output()));

        faultChanged = Instant.now();
        HttpResponse<String> change = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.managementUrl() + "/fault"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"failureRate\": " + FAILURE_RATE + ", \"latencyMaxMs\": 30}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, change.statusCode(), change.body());
        Poll.until("the new latency scraped", TIMEOUT,
                () -> Double.valueOf(0.03).equals(prometheus.value("example_latency_max_seconds")) ? true : null,
                () -> "example_latency_max_seconds: " + prometheus.value("example_latency_max_seconds"));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (app != null) {
            app.close();
        }
    }

    /** Grafana's template variable queries find the job and the instance. */
    @Test
    void theTemplateVariablesFindTheJobAndTheInstance() {
        assertTrue(labelValues("job", "example_requests_total").contains(JOB));
        assertEquals(List.of(instance), labelValues("instance", "example_requests_total{job=\"" + JOB + "\"}"));
    }

    @Test
    void everyPanelAndAnnotationQueryReturnsData() {
        GrafanaDashboard dashboard = GrafanaDashboard.load();
        List<Query> queries = new ArrayList<>(dashboard.panelQueries());
        queries.addAll(dashboard.annotationQueries());
        if (NATIVE) {
            // Quarkus binds no GC meters in a native executable; the panel says so.
            queries.removeIf(query -> query.expr().contains("jvm_gc_"));
        }
        List<String> empty = new ArrayList<>();
        for (String instances : List.of(".*", instance)) {
            for (Query query : queries) {
                String promql = grafana(query.expr(), instances);
                try {
                    Poll.until(query.where() + " to return data", Duration.ofSeconds(30),
                            () -> hasData(query, promql) ? true : null, () -> "");
                } catch (AssertionError e) {
                    empty.add(query.where() + " with instance=~\"" + instances + "\": " + promql);
                }
            }
        }
        assertEquals(List.of(), empty, "queries that returned no data");
        System.out.printf("dashboard: %d panel and annotation queries returned data, for all instances and for %s%n",
                queries.size(), instance);
    }

    /** Where the value is known, the panel shows it. */
    @Test
    void theHeadlinePanelsShowTheKnownValues() {
        double errorRatio = value("Error ratio (A)");
        assertTrue(Math.abs(errorRatio - FAILURE_RATE) <= 0.15, "error ratio " + errorRatio);
        assertEquals(0.95, value("Availability objective (A)"), 1e-9);
        // Burn rate over 5 minutes: the error ratio (over 1000+ requests) over the budget of 5%: 0.5 / 0.05 = 10.
        double burn = value("Burn rate of the error budget (alert windows) (A)");
        assertTrue(Math.abs(burn - FAILURE_RATE / 0.05) <= 2, "5-minute burn rate " + burn);
        double budget = value("Error budget remaining (30 d) (A)");
        assertTrue(Math.abs(budget - (1 - FAILURE_RATE / 0.05)) <= 2, "error budget remaining " + budget);
        double rate = value("Request rate (A)");
        assertTrue(rate >= 0.5 * TRAFFIC_RATE && rate <= 1.5 * TRAFFIC_RATE, "request rate " + rate);
        assertEquals(TRAFFIC_RATE, value("Built-in traffic generator (A)"));
        assertEquals(FAILURE_RATE, value("Failure rate (A)"));
        assertEquals(0.02, value("Simulated latency (A)"));
        assertEquals(0.03, value("Simulated latency (B)"));
        // Every answer takes at least 20 ms: p99 lies in the (10 ms, 25 ms] bucket or above, interpolated >= 24.85 ms.
        double p99 = value("p99 latency (A)");
        assertTrue(p99 >= 0.02 && p99 <= 1, "p99 " + p99);
        assertEquals(1.0, value("Targets up (A)"));
        assertEquals(1.0, value("Targets up (B)"));
        System.out.printf("dashboard: error ratio %.3f, 5m burn rate %.2f, budget remaining %.2f, %.0f requests/s, p99 %.4f s%n",
                errorRatio, burn, budget, rate, p99);
    }

    /**
     * The latency graph's exemplars carry trace ids, and every exemplar of a failed request names a trace the
     * service logged (SimulatedFailureLog logs every simulated failure with its traceId when its category is at DEBUG).
     */
    @Test
    void latencyExemplarsNameTracesInTheServiceLog() {
        Query latency = GrafanaDashboard.load().panelQueries().stream().filter(Query::exemplar).findFirst().orElseThrow();
        String promql = grafana(latency.expr(), ".*");
        List<Map<String, Object>> series = Poll.until("exemplars of failed requests", TIMEOUT, () -> {
            List<Map<String, Object>> found = prometheus.exemplars(promql, Instant.now().minusSeconds(120), Instant.now());
            return found.stream().anyMatch(s -> "500".equals(labels(s, "seriesLabels").get("status"))) ? found : null;
        }, () -> "exemplars: " + prometheus.exemplars(promql, Instant.now().minusSeconds(120), Instant.now()));

        Set<String> logged = loggedTraceIds();
        int failed = 0;
        int matched = 0;
        for (Map<String, Object> one : series) {
            boolean serverError = labels(one, "seriesLabels").get("status").toString().startsWith("5");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> exemplars = (List<Map<String, Object>>) one.get("exemplars");
            for (Map<String, Object> exemplar : exemplars) {
                String traceId = (String) labels(exemplar, "labels").get("trace_id");
                assertTrue(traceId != null && traceId.matches("[0-9a-f]{32}"), "exemplar " + exemplar);
                if (serverError) {
                    failed++;
                    if (logged.contains(traceId)) {
                        matched++;
                    }
                }
            }
        }
        System.out.printf("exemplars: %d of failed requests, %d of their trace ids in the service's log (%d logged)%n",
                failed, matched, logged.size());
        assertTrue(failed > 0, "no exemplar of a failed request");
        assertEquals(failed, matched, "exemplars of failed requests whose trace id the service did not log");
    }

    private static Set<String> loggedTraceIds() {
        Set<String> ids = new HashSet<>();
        for (String line : app.output().split("\n")) {
            if (!line.contains("\"loggerName\":\"org.acme.example.endpoint.SimulatedFailureLog\"")) {
                continue;
            }
            try (JsonReader reader = Json.createReader(new StringReader(line))) {
                JsonObject record = reader.readObject();
                ids.add(record.getJsonObject("mdc").getString("traceId"));
            }
        }
        return ids;
    }

    private static boolean hasData(Query query, String promql) {
        List<Map<String, Object>> result;
        if (query.instant()) {
            result = prometheus.query(promql);
            return result.stream().anyMatch(series -> finite(((List<?>) series.get("value")).get(1)));
        }
        Instant end = Instant.now();
        Instant start = query.where().startsWith("annotation") ? faultChanged.minusSeconds(5) : end.minusSeconds(60);
        result = prometheus.queryRange(promql, start, end, SCRAPE_INTERVAL);
        return result.stream().anyMatch(series -> ((List<?>) series.get("values")).stream()
                .anyMatch(point -> finite(((List<?>) point).get(1))));
    }

    private static boolean finite(Object value) {
        double number = Double.parseDouble((String) value);
        return !Double.isNaN(number) && !Double.isInfinite(number);
    }

    /** The current value of a panel's query, by "title (refId)", for all instances; fails unless exactly one series. */
    private static double value(String where) {
        Query query = GrafanaDashboard.load().panelQueries().stream().filter(q -> q.where().equals(where)).findFirst()
                .orElseThrow(() -> new AssertionError("no query " + where));
        Double value = prometheus.value(grafana(query.expr(), ".*"));
        assertFalse(value == null, where + " returned nothing");
        return value;
    }

    private static String grafana(String expr, String instances) {
        return GrafanaDashboard.substitute(expr, Map.of("job", JOB, "instance", instances, "datasource", "prometheus"),
                SCRAPE_INTERVAL);
    }

    private static List<Object> labelValues(String label, String match) {
        return prometheus.api("/api/v1/label/" + label + "/values?match[]=" + URLEncoder.encode(match, StandardCharsets.UTF_8))
                .getList("data");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> labels(Map<String, Object> map, String key) {
        return (Map<String, Object>) map.get(key);
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
}
