package org.acme.example.testing;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import io.restassured.path.json.JsonPath;

/**
 * A real Prometheus server (Debian package {@code prometheus}) on a free loopback port, that scrapes its
 * targets every second and evaluates the rule files given every second. Its configuration, data and log
 * live in the directory given; closing it sends SIGTERM and waits.
 */
public final class PrometheusServer implements AutoCloseable {

    public static final String JOB = "prometheus-example";

    private final ServerProcess server;

    private PrometheusServer(ServerProcess server) {
        this.server = server;
    }

    /** Starts Prometheus scraping {@code target} (host:port, path /metrics) as job {@value #JOB}. */
    public static PrometheusServer start(Path dir, String target, List<Path> ruleFiles) throws IOException {
        return start(dir, List.of(Map.of("job_name", JOB, "static_configs", List.of(Map.of("targets", List.of(target))))),
                ruleFiles);
    }

    /** Starts Prometheus with these {@code scrape_configs} and rule files, and waits until it is ready. */
    public static PrometheusServer start(Path dir, List<Map<String, Object>> scrapeConfigs, List<Path> ruleFiles) throws IOException {
        return start(dir, scrapeConfigs, ruleFiles, List.of());
    }

    /** As {@link #start(Path, String, List)}, with exemplar storage on: {@link #exemplars} answers. */
    public static PrometheusServer startWithExemplars(Path dir, String target, List<Path> ruleFiles) throws IOException {
        return start(dir, List.of(Map.of("job_name", JOB, "static_configs", List.of(Map.of("targets", List.of(target))))),
                ruleFiles, List.of("--enable-feature=exemplar-storage"));
    }

    /** As {@link #start(Path, String, List)}, sending its alerts to the Alertmanager at {@code alertmanager} (host:port). */
    public static PrometheusServer startWithAlertmanager(Path dir, String target, List<Path> ruleFiles, String alertmanager)
            throws IOException {
        return start(dir, List.of(Map.of("job_name", JOB, "static_configs", List.of(Map.of("targets", List.of(target))))),
                ruleFiles, List.of(), Map.of("alertmanagers", List.of(Map.of("static_configs",
                        List.of(Map.of("targets", List.of(alertmanager)))))));
    }

    private static PrometheusServer start(Path dir, List<Map<String, Object>> scrapeConfigs, List<Path> ruleFiles,
            List<String> flags) throws IOException {
        return start(dir, scrapeConfigs, ruleFiles, flags, Map.of());
    }

    private static PrometheusServer start(Path dir, List<Map<String, Object>> scrapeConfigs, List<Path> ruleFiles,
            List<String> flags, Map<String, Object> alerting) throws IOException {
        Path prometheus = ExternalTool.require("prometheus", "prometheus");
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("global", Map.of("scrape_interval", "1s", "scrape_timeout", "1s", "evaluation_interval", "1s"));
        if (!alerting.isEmpty()) {
            configuration.put("alerting", alerting);
        }
        configuration.put("rule_files", ruleFiles.stream().map(path -> path.toAbsolutePath().toString()).toList());
        configuration.put("scrape_configs", scrapeConfigs);
        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, new Yaml(block).dump(configuration));
        int port = PackagedApp.freePort();
        Path log = dir.resolve("prometheus.log");
        List<String> command = new ArrayList<>(List.of(prometheus.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port));
        command.addAll(flags);
        return new PrometheusServer(ServerProcess.start("prometheus", command, log, port));
    }

    /** The result of an instant query: {@code data.result}, one map (metric, value) per series. */
    public List<Map<String, Object>> query(String promql) {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).getList("data.result");
    }

    /** The result of a range query: {@code data.result}, one map (metric, values) per series. */
    public List<Map<String, Object>> queryRange(String promql, Instant start, Instant end, Duration step) {
        return api("/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + start.getEpochSecond() + "&end=" + end.getEpochSecond() + "&step=" + step.toSeconds())
                .getList("data.result");
    }

    /** The exemplars of the series a query selects: {@code data} of /api/v1/query_exemplars, one map per series. */
    public List<Map<String, Object>> exemplars(String promql, Instant start, Instant end) {
        return api("/api/v1/query_exemplars?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + start.getEpochSecond() + "&end=" + end.getEpochSecond()).getList("data");
    }

    /** The value of an instant query that returns at most one series; null when it returns none. */
    public Double value(String promql) {
        List<Map<String, Object>> result = query(promql);
        if (result.isEmpty()) {
            return null;
        }
        if (result.size() > 1) {
            throw new AssertionError(promql + " returned more than one series: " + result);
        }
        @SuppressWarnings("unchecked")
        List<Object> value = (List<Object>) result.get(0).get("value");
        return Double.valueOf((String) value.get(1));
    }

    /** Active (pending or firing) alerts: {@code data.alerts} of /api/v1/alerts. */
    public List<Map<String, Object>> alerts() {
        return api("/api/v1/alerts").getList("data.alerts");
    }

    /** Alerting rules with their state and last evaluation: {@code data.groups[].rules[]} of /api/v1/rules. */
    public List<Map<String, Object>> alertingRules() {
        return api("/api/v1/rules?type=alert").getList("data.groups.rules.flatten()");
    }

    public JsonPath api(String pathAndQuery) {
        return server.api(pathAndQuery);
    }

    public String url() {
        return server.url();
    }

    /** Everything Prometheus logged so far. */
    public String log() {
        return server.log();
    }

    @Override
    public void close() {
        server.close();
    }
}
