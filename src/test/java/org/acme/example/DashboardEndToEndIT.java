package org.acme.example;

import org.acme.example.docs.MetricsDocument;
import org.acme.example.testing.ConfigMapVolume;
import org.acme.example.testing.GrafanaDashboard;
import org.acme.example.testing.GrafanaDashboard.Query;
import org.acme.example.testing.HostileClients;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.PrometheusServer;
import org.acme.example.testing.ScrapedMetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
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
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.DoublePredicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.path.json.JsonPath;

/**
 * Every query of the shipped dashboard, run against a real Prometheus that scrapes the packaged service every
 * second (with the shipped rules and exemplar storage), with tracing on, while the service's own traffic generator
 * sends requests and faults are on: 45% of the requests answer 5xx throughout, each answer is delayed 20 ms or more.
 * Before the queries run, the service goes through what an incident demo does, so that every fault series exists and
 * moves: connections beyond the management port's cap, an invalid fault file, a custom scenario (readiness DOWN,
 * then liveness DOWN), a timed override that ends by itself, the saturation faults (a CPU burn, memory held, hung and
 * reset requests) until {@code DELETE /fault}, and a valid fault file with a status mix of 503 and 429.
 * Each query is sent as Grafana would send it (the template variables and {@code $__rate_interval} replaced, for all
 * instances and for the one instance) and must return data; where the value is known it must be right. The
 * exemplars of the latency graph must name traces that the service logged.
 */
class DashboardEndToEndIT {

    private static final String JOB = PrometheusServer.JOB;
    /** The configured failure rate; every failure answers 500. */
    private static final double FAILURE_RATE_BEFORE = 0.45;
    /**
     * The fault file's failure rate and mix: 3 failures in 4 answer 503, 1 in 4 answers 429. 5xx stay at
     * 0.6 * 3/4 = 0.45 of the requests, as before, so the SLO's error ratios over any window stay at 0.45: 429 is a
     * simulated failure, not an error of the SLO.
     */
    private static final double FAILURE_RATE = 0.6;
    private static final double SHARE_503 = 0.75;
    private static final double SHARE_429 = 0.25;
    private static final double SERVER_ERROR_RATIO = FAILURE_RATE * SHARE_503;
    private static final String FAULT_FILE = "{\"failureRate\": " + FAILURE_RATE
            + ", \"failureStatuses\": {\"503\": 3, \"429\": 1}, \"latencyMax\": \"30ms\"}";
    private static final double TRAFFIC_RATE = 100;
    private static final Duration STARTUP_DELAY = Duration.ofSeconds(2);
    /** Each step of the custom scenario, and the timed override: several scrapes each. */
    private static final Duration STEP = Duration.ofSeconds(4);
    private static final int MANAGEMENT_CAP = 64;
    /** Connections opened beyond the management port's cap: at least this many are refused at accept. */
    private static final int BEYOND_CAP = 16;
    private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);
    /** Enough requests for the error ratios: over 1000 requests failing with probability 0.45, one standard deviation is 0.016. */
    private static final double MIN_REQUESTS = 1000;
    /**
     * Enough failures with the final mix for the share of 429 among them: over 400, one standard deviation is
     * sqrt(0.25 * 0.75 / 400) = 0.022, and the test allows 0.1 (4.5 standard deviations).
     */
    private static final double MIN_MIXED_FAILURES = 400;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** The saturation faults: half a core, 32 MiB held, a fifth of the requests hung and a tenth reset. */
    private static final double BURN_CORES = 0.5;
    private static final double MEMORY_HELD = 32 * 1024 * 1024;
    private static final double HANG_RATE = 0.2;
    private static final double RESET_RATE = 0.1;
    private static final String SATURATION = "{\"cpuBurnCores\": " + BURN_CORES + ", \"memoryTarget\": \"32MiB\","
            + " \"memoryRate\": \"64MiB/s\", \"hangRate\": " + HANG_RATE + ", \"resetRate\": " + RESET_RATE + "}";
    private static final boolean NATIVE = "native".equals(System.getProperty("packaged.kind"));

    @TempDir
    static Path dir;
    static PackagedApp app;
    static PrometheusServer prometheus;
    static String instance;
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** When the faults began to change: every panel and annotation must show data from then on. */
    static Instant faultsChanged;
    static Instant scenarioStarted;
    static Instant overrideStarted;
    static Instant saturationStarted;
    static Instant saturationEnded;

    @BeforeAll
    static void startServiceAndPrometheusAndDriveTheFaults() throws IOException {
        ConfigMapVolume faultFile = ConfigMapVolume.create(dir.resolve("fault"), "fault.json");
        app = PackagedApp.start(Map.of(
                "EXAMPLE_FAILURE_RATE", String.valueOf(FAILURE_RATE_BEFORE),
                "EXAMPLE_TRAFFIC_RATE", String.valueOf(TRAFFIC_RATE),
                "EXAMPLE_LATENCY_MIN", "20ms",
                "EXAMPLE_LATENCY_MAX", "20ms",
                "EXAMPLE_STARTUP_DELAY", STARTUP_DELAY.toSeconds() + "s",
                // No file yet (an optional ConfigMap not created): the configuration alone applies.
                "EXAMPLE_FAULT_FILE", faultFile.file().toString(),
                "QUARKUS_OTEL_SDK_DISABLED", "false",
                // Every simulated failure in the log, with its trace id (see latencyExemplarsNameTracesInTheServiceLog).
                "QUARKUS_LOG_CATEGORY__ORG_ACME_EXAMPLE_ENDPOINT__LEVEL", "DEBUG"));
        instance = "127.0.0.1:" + app.managementPort();
        prometheus = PrometheusServer.startWithExemplars(dir, instance, PromtoolTest.ruleFiles());
        awaitPrometheus("the first scrape", "up", value -> value == 1);
        faultsChanged = Instant.now();

        // Connections beyond the cap are closed at accept; Prometheus keeps scraping on the connection it has.
        try (HostileClients.Connections connections = HostileClients.silent(app.managementPort(), MANAGEMENT_CAP + BEYOND_CAP)) {
            Poll.until(BEYOND_CAP + " connections closed at accept", TIMEOUT,
                    () -> connections.outcomes().getOrDefault("closed", 0) >= BEYOND_CAP ? true : null, connections::toString);
        }
        Poll.until("the management port to accept connections again", TIMEOUT, () -> {
            try {
                return send("GET", "/fault", null).statusCode() == 200 ? true : null;
            } catch (IOException e) {
                return null; // the closed connections not counted out yet
            }
        }, () -> "");

        faultFile.publish("{\"failureRate\": 2}");
        scenarioStarted = Instant.now();
        change("PUT", "/fault/scenario", "{\"steps\": [{\"for\": \"" + STEP.toSeconds() + "s\", \"ready\": false},"
                + " {\"for\": \"" + STEP.toSeconds() + "s\", \"live\": false}]}");
        awaitPrometheus("the invalid fault file", "example_fault_file_valid", value -> value == 0);
        Poll.until("the scenario to end by itself", TIMEOUT,
                () -> state("/fault").get("scenario") == null ? true : null, () -> state("/fault").prettify());
        awaitPrometheus("the scenario's end", "example_fault_scenario_step", value -> value == 0);

        overrideStarted = Instant.now();
        change("PUT", "/fault", "{\"latencyMin\": \"30ms\", \"latencyMax\": \"30ms\", \"for\": \"" + STEP.toSeconds() + "s\"}");
        Poll.until("the timed override to end by itself", TIMEOUT,
                () -> state("/fault").getString("source").equals("configuration") ? true : null, () -> state("/fault").prettify());
        awaitPrometheus("the override's end", "example_fault_override_remaining_seconds", value -> value == 0);

        // The saturation faults until DELETE /fault, once Prometheus has seen each at work.
        saturationStarted = Instant.now();
        change("PUT", "/fault", SATURATION);
        awaitPrometheus("the memory held", "example_fault_memory_held_bytes", value -> value == MEMORY_HELD);
        awaitPrometheus("requests hung", "example_requests_hung", value -> value >= 1);
        awaitPrometheus("connections reset", "example_requests_reset_total", value -> value >= 1);
        awaitPrometheus("the CPU burn", "example_fault_cpu_burn_cores", value -> value == BURN_CORES);
        change("DELETE", "/fault", null);
        saturationEnded = Instant.now();
        awaitPrometheus("the memory freed", "example_fault_memory_held_bytes", value -> value == 0);
        awaitPrometheus("the hung requests answered", "example_requests_hung", value -> value == 0);
        awaitPrometheus("the burn's end", "example_fault_cpu_burn_cores", value -> value == 0);

        faultFile.publish(FAULT_FILE);
        awaitPrometheus("the fault file's failure rate", "example_failure_rate_ratio", value -> value == FAILURE_RATE);
        awaitPrometheus("the fault file's latency", "example_latency_max_seconds", value -> value == 0.03);
        awaitPrometheus("the fault file valid", "example_fault_file_valid", value -> value == 1);

        awaitPrometheus(MIN_REQUESTS + " requests", "sum(increase(http_server_requests_seconds_count{job=\"" + JOB
                + "\", uri=\"/example\"}[5m]))", value -> value >= MIN_REQUESTS);
        awaitPrometheus(MIN_MIXED_FAILURES + " answers of the status mix", "sum(http_server_requests_seconds_count{job=\""
                + JOB + "\", uri=\"/example\", status=~\"503|429\"})", value -> value >= MIN_MIXED_FAILURES);
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

    /** Every metric of the service's own ({@code example_*}) is read by at least one panel. */
    @Test
    void everyExampleMetricIsOnTheDashboard() {
        String all = GrafanaDashboard.load().panelQueries().stream().map(Query::expr).collect(Collectors.joining("\n"));
        Set<String> missing = new TreeSet<>();
        for (Object name : labelValues("__name__", "{job=\"" + JOB + "\"}")) {
            if (name.toString().startsWith("example_") && !all.contains(name.toString())) {
                missing.add(name.toString());
            }
        }
        assertEquals(Set.of(), missing, "metrics of the service that no panel reads");
    }

    /**
     * The metrics document lists exactly the families {@code /metrics} exposes after this demo run (traffic, faults,
     * a scenario, the fault file, connections beyond the cap), with their types and label names.
     */
    @Test
    void everyExposedMetricFamilyIsInTheMetricsDocumentAndBack() {
        String exposition = ScrapedMetrics.scrape(app).text();
        assertEquals("", String.join("\n", MetricsDocument.differences(exposition, NATIVE)),
                "differences between " + MetricsDocument.DOC + " and the families /metrics exposes");
        System.out.printf("metrics document: %d families exposed, all documented%n", MetricsDocument.exposed(exposition).size());
    }

    /** Where the value is known, the panel shows it. */
    @Test
    void theHeadlinePanelsShowTheKnownValues() {
        double errorRatio = value("Error ratio (A)");
        assertTrue(Math.abs(errorRatio - SERVER_ERROR_RATIO) <= 0.15, "error ratio " + errorRatio);
        assertEquals(0.95, value("Availability objective (A)"), 1e-9);
        // Burn rate over 5 minutes: the 5xx ratio (over 1000+ requests) over the budget of 5%: 0.45 / 0.05 = 9.
        double burn = value("Burn rate of the error budget (alert windows) (A)");
        assertTrue(Math.abs(burn - SERVER_ERROR_RATIO / 0.05) <= 2, "5-minute burn rate " + burn);
        double budget = value("Error budget remaining (30 d) (A)");
        assertTrue(Math.abs(budget - (1 - SERVER_ERROR_RATIO / 0.05)) <= 2, "error budget remaining " + budget);
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

    /** The status mix: its shares as configured, and the answers by status in those proportions. */
    @Test
    void theStatusMixShowsInTheSettingsAndInTheAnswers() {
        // The statuses that left the mix (500) are not drawn.
        assertEquals(Map.of("503", SHARE_503, "429", SHARE_429), valuesBy("Status mix of simulated failures (A)", "status"));

        Map<String, Double> answers = valuesBy("Answers of /example by status (A)", "status");
        assertTrue(answers.getOrDefault("503", 0.0) > 0 && answers.getOrDefault("429", 0.0) > 0, "answers by status " + answers);
        Map<String, Double> counts = new TreeMap<>();
        for (Map<String, Object> series : prometheus.query("sum by (status) (http_server_requests_seconds_count{job=\""
                + JOB + "\", uri=\"/example\", status=~\"503|429\"})")) {
            counts.put(labels(series, "metric").get("status").toString(), sample(series.get("value")));
        }
        double share429 = counts.get("429") / (counts.get("429") + counts.get("503"));
        assertTrue(Math.abs(share429 - SHARE_429) <= 0.1, "share of 429 among the mixed failures " + counts);
        System.out.printf("dashboard: status mix answered %s, 429 share %.3f%n", counts, share429);
    }

    /** The scenario's steps, and the health faults they hold, as the fault settings row draws them. */
    @Test
    void theScenarioAndItsHealthFaultsShowStepByStep() {
        List<Series> scenario = range("Running scenario and its step (A)", scenarioStarted);
        assertEquals(1, scenario.size(), "one scenario ran: " + scenario);
        assertEquals("custom", scenario.get(0).labels().get("scenario"));
        assertEquals(Set.of(1.0, 2.0), new HashSet<>(scenario.get(0).values().values()), "steps " + scenario);
        NavigableMap<Long, Double> steps = scenario.get(0).values();
        NavigableMap<Long, Double> ready = only(range("Health faults and fault file (A)", scenarioStarted)).values();
        NavigableMap<Long, Double> live = only(range("Health faults and fault file (B)", scenarioStarted)).values();
        assertTrue(steps.entrySet().stream().anyMatch(step -> step.getValue() == 1 && ready.getOrDefault(step.getKey(), -1.0) == 0),
                "ready 0 during step 1: steps " + steps + ", ready " + ready);
        assertTrue(steps.entrySet().stream().anyMatch(step -> step.getValue() == 2 && live.getOrDefault(step.getKey(), -1.0) == 0),
                "live 0 during step 2: steps " + steps + ", live " + live);
        assertEquals(1.0, ready.lastEntry().getValue(), "ready after the scenario");
        assertEquals(1.0, live.lastEntry().getValue(), "live after the scenario");
        assertEquals(List.of(), range("Running scenario and its step (A)", Instant.now().minusSeconds(1)),
                "no scenario runs now");
    }

    /** The timed override counted down and ended; the fault file was invalid for a while; the start-up delay. */
    @Test
    void theTimedOverrideTheFaultFileAndTheStartupDelayShow() {
        NavigableMap<Long, Double> remaining = only(range("Time left in the override or scenario (A)", overrideStarted)).values();
        assertTrue(remaining.values().stream().anyMatch(seconds -> seconds > 0 && seconds <= STEP.toSeconds()),
                "time left in the override " + remaining);
        assertEquals(0.0, remaining.lastEntry().getValue(), "time left after the override");

        NavigableMap<Long, Double> fileValid = only(range("Health faults and fault file (C)", faultsChanged)).values();
        assertTrue(fileValid.containsValue(0.0), "the invalid fault file " + fileValid);
        assertEquals(1.0, fileValid.lastEntry().getValue(), "the valid fault file");

        assertEquals((double) STARTUP_DELAY.toSeconds(), value("Start-up delay (A)"));
    }

    /** The operations row: connections refused at accept, requests waiting out their latency, the generator's in flight. */
    @Test
    void theOperationsPanelsShowRefusedConnectionsAndWaitingRequests() {
        // Silent connections beyond the cap: each newcomer is refused, or takes the slot of an idle one (evicted).
        Double refused = prometheus.value("example_connections_refused_total{port=\"management\"}");
        Double evicted = prometheus.value("example_connections_evicted_total{port=\"management\"}");
        double closed = (refused == null ? 0 : refused) + (evicted == null ? 0 : evicted);
        assertTrue(closed >= BEYOND_CAP, "connections refused or evicted on the management port: " + refused + ", "
                + evicted);
        assertTrue(Stream.of("A", "C")
                .flatMap(ref -> range("Connections: refused or evicted at accept, and open; request heads refused ("
                        + ref + ")", faultsChanged).stream())
                .filter(series -> "management".equals(series.labels().get("port")))
                .anyMatch(series -> series.max() > 0), "a rate of refused or evicted connections on the management port");
        // At 100 requests a second each delayed 20 ms or more, about 2 are waiting at any moment (Little's law).
        double delayed = only(range("Requests waiting (A)", faultsChanged)).max();
        double inFlight = only(range("Requests waiting (B)", faultsChanged)).max();
        assertTrue(delayed >= 1, "requests delayed, at most " + delayed);
        assertTrue(inFlight >= 1 && inFlight <= 32, "traffic generator in flight, at most " + inFlight);
        assertTrue(only(range("Open connections (A)", faultsChanged).stream()
                .filter(series -> String.valueOf(app.httpPort()).equals(series.labels().get("server_port"))).toList()).max() >= 1,
                "open connections on the main port");
    }

    /** The saturation panels show each fault while it ran, with plausible values, and its end. */
    @Test
    void theSaturationPanelsShowTheFaultsWhileTheyRunAndTheirEnd() {
        String faults = "Saturation faults: CPU, hangs, resets, crash ";
        assertEquals(BURN_CORES, only(range(faults + "(A)", saturationStarted)).max(), "cores burned");
        assertEquals(HANG_RATE, only(range(faults + "(B)", saturationStarted)).max(), "hang share");
        assertEquals(RESET_RATE, only(range(faults + "(C)", saturationStarted)).max(), "reset share");
        Series hung = only(range(faults + "(D)", saturationStarted));
        // Bound: the traffic generator has at most 32 requests in flight, each of them possibly held.
        assertTrue(hung.max() >= 1 && hung.max() <= 32, "requests held " + hung.values());
        assertEquals(0.0, hung.values().lastEntry().getValue(), "requests held after DELETE /fault");
        assertTrue(only(range(faults + "(E)", saturationStarted)).max() > 0, "resets a second");
        assertEquals(-1.0, only(range(faults + "(F)", saturationStarted)).max(), "no crash scheduled");
        for (String ref : List.of("A", "B", "C")) {
            assertEquals(0.0, only(range(faults + "(" + ref + ")", saturationStarted)).values().lastEntry().getValue(),
                    ref + " after DELETE /fault");
        }

        String memory = "Memory held on purpose ";
        Series held = only(range(memory + "(A)", saturationStarted));
        assertEquals(MEMORY_HELD, held.max(), "memory held " + held.values());
        assertEquals(0.0, held.values().lastEntry().getValue(), "memory held after DELETE /fault");
        assertEquals(MEMORY_HELD, only(range(memory + "(B)", saturationStarted)).max(), "memory target");
        double resident = only(range(memory + "(C)", saturationStarted)).max();
        double limit = only(range(memory + "(D)", saturationStarted)).max();
        assertTrue(resident > MEMORY_HELD && resident < limit, "resident " + resident + ", limit " + limit);
        System.out.printf("dashboard: saturation faults for %d s: %.0f requests held at most, resident memory %.0f MiB"
                + " at most holding 32 MiB, limit %.0f MiB%n", Duration.between(saturationStarted, saturationEnded)
                .toSeconds(), hung.max(), resident / 1024 / 1024, limit / 1024 / 1024);
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
            return found.stream().anyMatch(s -> labels(s, "seriesLabels").get("status").toString().startsWith("5")) ? found : null;
        }, () -> "exemplars: " + prometheus.exemplars(promql, Instant.now().minusSeconds(120), Instant.now()));

        Set<String> logged = loggedTraceIds();
        int failed = 0;
        int matched = 0;
        for (Map<String, Object> one : series) {
            String status = labels(one, "seriesLabels").get("status").toString();
            boolean simulatedFailure = status.startsWith("5") || status.equals("429");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> exemplars = (List<Map<String, Object>>) one.get("exemplars");
            for (Map<String, Object> exemplar : exemplars) {
                String traceId = (String) labels(exemplar, "labels").get("trace_id");
                assertTrue(traceId != null && traceId.matches("[0-9a-f]{32}"), "exemplar " + exemplar);
                if (simulatedFailure) {
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

    /** One series of a range query: its labels, and its values by time (epoch seconds). */
    record Series(Map<String, Object> labels, NavigableMap<Long, Double> values) {
        double max() {
            return values.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }
    }

    /** A panel query's series from {@code start} to now, a point a second, for all instances. */
    private static List<Series> range(String where, Instant start) {
        List<Series> series = new ArrayList<>();
        for (Map<String, Object> one : prometheus.queryRange(grafana(query(where).expr(), ".*"), start, Instant.now(), SCRAPE_INTERVAL)) {
            NavigableMap<Long, Double> values = new TreeMap<>();
            for (Object point : (List<?>) one.get("values")) {
                List<?> pair = (List<?>) point;
                values.put(((Number) pair.get(0)).longValue(), sample(pair.get(1)));
            }
            series.add(new Series(labels(one, "metric"), values));
        }
        return series;
    }

    private static Series only(List<Series> series) {
        assertEquals(1, series.size(), "one series: " + series);
        return series.get(0);
    }

    /** The current values of a panel's query, for all instances, by one label. */
    private static Map<String, Double> valuesBy(String where, String label) {
        Map<String, Double> values = new TreeMap<>();
        for (Map<String, Object> series : prometheus.query(grafana(query(where).expr(), ".*"))) {
            values.put(labels(series, "metric").get(label).toString(), sample(series.get("value")));
        }
        return values;
    }

    private static double sample(Object valueOrPoint) {
        return Double.parseDouble((String) (valueOrPoint instanceof List<?> point ? point.get(1) : valueOrPoint));
    }

    private static void awaitPrometheus(String what, String promql, DoublePredicate condition) {
        Poll.until(what + " in Prometheus", TIMEOUT, () -> {
            Double value = prometheus.value(promql);
            return value != null && condition.test(value) ? true : null;
        }, () -> promql + ": " + prometheus.value(promql) + "\nservice log:\n" + tail(app.output()));
    }

    private static void change(String method, String path, String json) throws IOException {
        HttpResponse<String> response = send(method, path, json);
        assertEquals(200, response.statusCode(), method + " " + path + ": " + response.body());
    }

    private static JsonPath state(String path) {
        try {
            return JsonPath.from(send("GET", path, null).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(String method, String path, String json) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.managementUrl() + path)).timeout(Duration.ofSeconds(10));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> loggedTraceIds() {
        Set<String> ids = new HashSet<>();
        for (String line : app.output().split("\n")) {
            if (!line.contains("\"loggerName\":\"org.acme.example.endpoint.SimulatedFailureLog\"")) {
                continue;
            }
            try (JsonReader reader = Json.createReader(new StringReader(line))) {
                JsonObject record = reader.readObject();
                // The once-a-minute summary is written by a timer, outside any request: it has no trace id.
                String traceId = record.getJsonObject("mdc").getString("traceId", null);
                if (traceId != null) {
                    ids.add(traceId);
                }
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
        result = prometheus.queryRange(promql, faultsChanged.minusSeconds(5), end, SCRAPE_INTERVAL);
        return result.stream().anyMatch(series -> ((List<?>) series.get("values")).stream()
                .anyMatch(point -> finite(((List<?>) point).get(1))));
    }

    private static boolean finite(Object value) {
        double number = Double.parseDouble((String) value);
        return !Double.isNaN(number) && !Double.isInfinite(number);
    }

    private static Query query(String where) {
        return GrafanaDashboard.load().panelQueries().stream().filter(q -> q.where().equals(where)).findFirst()
                .orElseThrow(() -> new AssertionError("no query " + where));
    }

    /** The current value of a panel's query, by "title (refId)", for all instances; fails unless exactly one series. */
    private static double value(String where) {
        Double value = prometheus.value(grafana(query(where).expr(), ".*"));
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
