package org.acme.example;

import org.acme.example.testing.GrafanaDashboard;
import org.acme.example.testing.GrafanaDashboard.Query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.vertx.core.json.JsonObject;

/**
 * The dashboard (src/main/grafana/prometheus-example.json) is a well-formed Grafana dashboard whose queries all go
 * to the data source the user picks, for the job and instances the user picks. That its queries return data from
 * the real service is DashboardEndToEndIT's part.
 */
class GrafanaDashboardTest {

    private static final GrafanaDashboard DASHBOARD = GrafanaDashboard.load();
    private static final int GRID_WIDTH = 24;
    private static final Pattern RANGE = Pattern.compile("\\[([^\\]]+)]");

    @Test
    void isADashboardWithATitleAUidAndASchemaVersion() {
        JsonObject json = DASHBOARD.json();
        assertEquals("prometheus-example", json.getString("uid"));
        assertFalse(json.getString("title").isBlank());
        assertTrue(json.getInteger("schemaVersion") >= 36, "schemaVersion " + json.getInteger("schemaVersion"));
        assertEquals(null, json.getValue("id"), "a dashboard to import or provision has no database id");
    }

    @Test
    void panelIdsAreUnique() {
        List<Integer> ids = DASHBOARD.panels().stream().map(panel -> panel.getInteger("id")).toList();
        assertEquals(ids.size(), new HashSet<>(ids).size(), "panel ids " + ids);
        assertFalse(ids.contains(null), "a panel without id");
    }

    /** Every panel lies inside the 24-column grid, and no two overlap. */
    @Test
    void panelsTileTheGridWithoutOverlapping() {
        List<JsonObject> panels = DASHBOARD.panels();
        for (JsonObject panel : panels) {
            JsonObject grid = panel.getJsonObject("gridPos");
            String name = panel.getString("title");
            assertTrue(grid.getInteger("x") >= 0 && grid.getInteger("y") >= 0, name + " " + grid);
            assertTrue(grid.getInteger("w") > 0 && grid.getInteger("h") > 0, name + " " + grid);
            assertTrue(grid.getInteger("x") + grid.getInteger("w") <= GRID_WIDTH, name + " " + grid);
            if ("row".equals(panel.getString("type"))) {
                assertEquals(GRID_WIDTH, grid.getInteger("w"), name);
            }
        }
        for (int i = 0; i < panels.size(); i++) {
            for (int j = i + 1; j < panels.size(); j++) {
                JsonObject a = panels.get(i).getJsonObject("gridPos");
                JsonObject b = panels.get(j).getJsonObject("gridPos");
                boolean apart = a.getInteger("x") + a.getInteger("w") <= b.getInteger("x")
                        || b.getInteger("x") + b.getInteger("w") <= a.getInteger("x")
                        || a.getInteger("y") + a.getInteger("h") <= b.getInteger("y")
                        || b.getInteger("y") + b.getInteger("h") <= a.getInteger("y");
                assertTrue(apart, panels.get(i).getString("title") + " overlaps " + panels.get(j).getString("title"));
            }
        }
    }

    @Test
    void everyPanelSaysWhatItShowsAndHasQueries() {
        for (JsonObject panel : DASHBOARD.panels()) {
            if ("row".equals(panel.getString("type"))) {
                continue;
            }
            String name = panel.getString("title");
            assertFalse(name == null || name.isBlank(), "a panel without title: " + panel.getInteger("id"));
            assertFalse(panel.getString("description", "").isBlank(), name + " has no description");
            List<String> refIds = panel.getJsonArray("targets").stream()
                    .map(target -> ((JsonObject) target).getString("refId")).toList();
            assertFalse(refIds.isEmpty(), name + " has no query");
            assertEquals(refIds.size(), new HashSet<>(refIds).size(), name + " refIds " + refIds);
        }
    }

    /** No data source uid is hard-coded: every panel and query uses the data source variable. */
    @Test
    void everyQueryUsesTheDataSourceVariable() {
        for (JsonObject panel : DASHBOARD.panels()) {
            if ("row".equals(panel.getString("type"))) {
                continue;
            }
            assertDatasourceVariable(panel.getJsonObject("datasource"), panel.getString("title"));
            panel.getJsonArray("targets").forEach(target -> assertDatasourceVariable(
                    ((JsonObject) target).getJsonObject("datasource"), panel.getString("title")));
        }
        for (Object annotation : DASHBOARD.json().getJsonObject("annotations").getJsonArray("list")) {
            JsonObject json = (JsonObject) annotation;
            if (json.containsKey("expr")) {
                assertDatasourceVariable(json.getJsonObject("datasource"), json.getString("name"));
            }
        }
        for (JsonObject variable : DASHBOARD.variables()) {
            if ("query".equals(variable.getString("type"))) {
                assertDatasourceVariable(variable.getJsonObject("datasource"), "variable " + variable.getString("name"));
            }
        }
    }

    private static void assertDatasourceVariable(JsonObject datasource, String where) {
        assertTrue(datasource != null, where + " has no datasource");
        assertEquals(GrafanaDashboard.DATASOURCE_UID, datasource.getString("uid"), where);
        assertEquals("prometheus", datasource.getString("type"), where);
    }

    /**
     * Grafana's import dialog (Dashboards, New, Import) asks for a data source of each {@code __inputs} entry and
     * replaces every {@code ${NAME}} of the file with the uid of the one chosen. Here that choice becomes the data
     * source variable's initial value, so the imported dashboard opens on it. Provisioning and the ConfigMap (which
     * carries this file unchanged) replace nothing: there the variable, whose value then matches no data source,
     * falls back to the first Prometheus data source, and every query still goes through the variable.
     */
    @Test
    void importAsksForThePrometheusDataSourceAndStartsTheVariableOnIt() {
        JsonObject json = DASHBOARD.json();
        List<JsonObject> inputs = json.getJsonArray("__inputs").stream().map(JsonObject.class::cast).toList();
        assertEquals(1, inputs.size(), inputs.toString());
        JsonObject input = inputs.get(0);
        assertEquals("DS_PROMETHEUS", input.getString("name"));
        assertEquals("datasource", input.getString("type"));
        assertEquals("prometheus", input.getString("pluginId"));
        assertFalse(input.getString("label", "").isBlank(), "the dialog shows the label");

        String text = json.encode();
        Set<String> placeholders = new HashSet<>();
        Matcher placeholder = Pattern.compile("\\$\\{(DS_\\w+)}").matcher(text);
        while (placeholder.find()) {
            placeholders.add(placeholder.group(1));
        }
        assertEquals(Set.of("DS_PROMETHEUS"), placeholders, "the inputs Grafana would have to replace");

        JsonObject imported = new JsonObject(text.replace("${DS_PROMETHEUS}", "chosen-uid"));
        JsonObject datasource = imported.getJsonObject("templating").getJsonArray("list").stream().map(JsonObject.class::cast)
                .filter(variable -> "datasource".equals(variable.getString("name"))).findFirst().orElseThrow();
        assertEquals("chosen-uid", datasource.getJsonObject("current").getString("value"));
        // The placeholder is nowhere else: without an import (provisioning, ConfigMap) no query depends on it.
        assertEquals(text.length() - "${DS_PROMETHEUS}".length() * 2, text.replace("${DS_PROMETHEUS}", "").length(),
                "${DS_PROMETHEUS} outside the variable's current text and value");
    }

    /** What the dashboard needs, as Grafana's own export lists it: every panel type it uses, and Prometheus. */
    @Test
    void requiresListsThePanelTypesAndPrometheus() {
        Set<String> required = DASHBOARD.json().getJsonArray("__requires").stream().map(JsonObject.class::cast)
                .map(requirement -> requirement.getString("type") + ":" + requirement.getString("id"))
                .collect(Collectors.toSet());
        Set<String> used = DASHBOARD.panels().stream().map(panel -> panel.getString("type"))
                .filter(type -> !"row".equals(type)).map(type -> "panel:" + type).collect(Collectors.toSet());
        used.add("datasource:prometheus");
        used.add("grafana:grafana");
        assertEquals(used, required);
    }

    /** A data source variable for Prometheus, a job, and instances that can be all of them or any few. */
    @Test
    void templateVariablesSelectDataSourceJobAndInstances() {
        Map<String, JsonObject> variables = DASHBOARD.variables().stream()
                .collect(Collectors.toMap(variable -> variable.getString("name"), variable -> variable));
        assertEquals(Set.of("datasource", "job", "instance"), variables.keySet());
        assertEquals("datasource", variables.get("datasource").getString("type"));
        assertEquals("prometheus", variables.get("datasource").getString("query"));
        JsonObject instance = variables.get("instance");
        assertTrue(instance.getBoolean("includeAll") && instance.getBoolean("multi"), instance.encode());
        assertEquals(".*", instance.getString("allValue"));
        assertTrue(instance.getJsonObject("query").getString("query").contains("job=\"$job\""), instance.encode());
    }

    /**
     * Every query is narrowed to the chosen job (except the SLO's own job-less series), and to the chosen
     * instances where it reads per-instance series; rates use {@code $__rate_interval}, never a fixed window.
     */
    @Test
    void queriesFollowTheVariablesAndTheRateInterval() {
        for (Query query : DASHBOARD.panelQueries()) {
            String expr = query.expr();
            if (!expr.contains("$job")) {
                assertTrue(expr.matches("[0-9 .()*/+-]*:example_availability_\\w+:ratio[ ()]*"),
                        query.where() + " selects no job: " + expr);
            }
            if (expr.contains("{") && !expr.contains("job_uri:") && !expr.contains("ALERTS")) {
                assertTrue(expr.contains("instance=~\"$instance\""), query.where() + " ignores $instance: " + expr);
            }
            Matcher range = RANGE.matcher(expr);
            while (range.find()) {
                assertEquals("$__rate_interval", range.group(1), query.where() + ": " + expr);
            }
        }
    }

    /** The dashboard covers what the issue asks for: each of these series is read by at least one panel. */
    @Test
    void panelsCoverTheServiceItsSloItsFaultsAndItsRuntime() {
        String all = DASHBOARD.panelQueries().stream().map(Query::expr).collect(Collectors.joining("\n"));
        List<String> missing = new ArrayList<>();
        for (String series : List.of("http_server_requests_seconds_count", "http_server_requests_seconds_bucket",
                "job_uri:http_server_requests_errors:ratio_rate5m", "job_uri:http_server_requests_errors:ratio_rate1h",
                "job_uri:http_server_requests_errors:ratio_rate6h", "job_uri:http_server_requests_errors:ratio_rate3d",
                "job_uri:example_availability_error_budget_remaining:ratio30d", ":example_availability_objective:ratio",
                "example_requests_total", "example_failure_rate_ratio", "example_failure_status_ratio",
                "example_latency_min_seconds", "example_latency_max_seconds", "example_fault_ready", "example_fault_live",
                "example_startup_delay_seconds", "example_fault_override_remaining_seconds",
                "example_fault_scenario_active", "example_fault_scenario_step", "example_fault_file_valid",
                "example_traffic_rate_per_second", "example_traffic_requests_total", "example_traffic_in_flight_requests",
                "example_requests_delayed", "example_connections_refused_total", "http_server_active_connections",
                "ALERTS", "up{", "scrape_duration_seconds", "jvm_memory_used_bytes", "jvm_gc_pause_seconds",
                "process_cpu_usage", "jvm_threads_live_threads", "process_files_open_files", "process_uptime_seconds",
                "example_build_info")) {
            if (!all.contains(series)) {
                missing.add(series);
            }
        }
        assertEquals(List.of(), missing, "series no panel reads");
        assertTrue(all.contains("histogram_quantile(0.5") && all.contains("histogram_quantile(0.9")
                && all.contains("histogram_quantile(0.99"), "p50, p90 and p99");
    }

    /** The latency graph asks Grafana for exemplars of the histogram's buckets. */
    @Test
    void theLatencyGraphShowsExemplars() {
        List<Query> withExemplars = DASHBOARD.panelQueries().stream().filter(Query::exemplar).toList();
        assertFalse(withExemplars.isEmpty(), "no query with exemplars");
        for (Query query : withExemplars) {
            assertTrue(query.expr().contains("http_server_requests_seconds_bucket"), query.toString());
        }
    }

    /**
     * Fault changes are marked on every graph: the failure rate and status mix, the latency, the health faults, a
     * scenario (start, steps, end), a timed override (start, end); each for the chosen job and instances.
     */
    @Test
    void annotationsMarkFaultChanges() {
        List<Query> annotations = DASHBOARD.annotationQueries();
        assertEquals(5, annotations.size(), annotations.toString());
        for (Query annotation : annotations) {
            assertTrue(annotation.expr().contains("changes(example_"), annotation.toString());
            assertTrue(annotation.expr().contains("job=\"$job\", instance=~\"$instance\""), annotation.toString());
        }
        String all = annotations.stream().map(Query::expr).collect(Collectors.joining("\n"));
        for (String series : List.of("example_failure_rate_ratio", "example_failure_status_ratio", "example_latency_min_seconds",
                "example_latency_max_seconds", "example_fault_ready", "example_fault_live", "example_fault_scenario_active",
                "example_fault_scenario_step", "example_fault_override_remaining_seconds")) {
            assertTrue(all.contains("changes(" + series + "{"), "no annotation marks changes of " + series);
        }
    }

    /** Only visualizations that ship with Grafana: the dashboard needs no plugin. */
    @Test
    void panelsAreGrafanasOwnVisualizations() {
        for (JsonObject panel : DASHBOARD.panels()) {
            assertTrue(Set.of("row", "stat", "timeseries", "state-timeline", "table").contains(panel.getString("type")),
                    panel.getString("title") + ": " + panel.getString("type"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void provisioningLoadsThePrometheusDataSourceAndTheDashboardDirectory() throws IOException {
        Path provisioning = Path.of("src", "main", "grafana", "provisioning");
        Map<String, Object> datasources = new Yaml().load(Files.readString(provisioning.resolve("datasources/prometheus.yml")));
        assertEquals(1, datasources.get("apiVersion"));
        Map<String, Object> datasource = ((List<Map<String, Object>>) datasources.get("datasources")).get(0);
        assertEquals("prometheus", datasource.get("type"));
        assertEquals("15s", ((Map<String, Object>) datasource.get("jsonData")).get("timeInterval"),
                "the scrape interval of src/main/prometheus/prometheus.yml");

        Map<String, Object> dashboards = new Yaml().load(Files.readString(provisioning.resolve("dashboards/prometheus-example.yml")));
        Map<String, Object> provider = ((List<Map<String, Object>>) dashboards.get("providers")).get(0);
        assertEquals("file", provider.get("type"));
        assertTrue(((Map<String, Object>) provider.get("options")).get("path").toString().startsWith("/"));
    }
}
