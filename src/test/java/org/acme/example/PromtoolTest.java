package org.acme.example;

import org.acme.example.testing.ExternalTool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The shipped Prometheus material (src/main/prometheus/) passes promtool: the configurations and rule files
 * are valid, and the rules' unit tests (src/test/prometheus/*.test.yml) pass.
 */
class PromtoolTest {

    static final Path SHIPPED = Path.of("src", "main", "prometheus");
    static final Path RULE_TESTS = Path.of("src", "test", "prometheus");
    /**
     * The recording rules' unit tests replay 30 days (the error budget window), the scenarios' cases 3 days of history
     * (the longest alert window) at one evaluation a minute: about 2 minutes of CPU in all.
     */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Test
    void localConfigIsValid() {
        assertPromtool(List.of("check", "config", SHIPPED.resolve("prometheus.yml").toString()));
    }

    /**
     * Debian's promtool is built without Kubernetes discovery and rejects {@code kubernetes_sd_configs}. Then
     * the rest of the file (relabelling, rule files) is checked with the discovery replaced by a static target.
     */
    @Test
    void kubernetesConfigIsValid(@TempDir Path dir) throws IOException {
        Path config = SHIPPED.resolve("prometheus-kubernetes.yml");
        ExternalTool.Result asShipped = promtool(List.of("check", "config", config.toString()));
        if (asShipped.exitCode() == 0) {
            return;
        }
        assertTrue(asShipped.output().contains("field kubernetes_sd_configs not found"), asShipped.output());

        Map<String, Object> yaml = new Yaml().load(Files.readString(config));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) yaml.get("scrape_configs");
        for (Map<String, Object> job : jobs) {
            if (job.remove("kubernetes_sd_configs") != null) {
                job.put("static_configs", List.of(Map.of("targets", List.of("pod.example:8080"))));
            }
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path copy = dir.resolve("prometheus-kubernetes.yml");
        Files.writeString(copy, new Yaml(options).dump(yaml));
        for (Path rules : ruleFiles()) {
            Files.copy(rules, dir.resolve(rules.getFileName()));
        }
        assertPromtool(List.of("check", "config", copy.toString()));
    }

    @Test
    void ruleFilesAreValid() throws IOException {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        ruleFiles().forEach(path -> args.add(path.toString()));
        assertPromtool(args);
    }

    /**
     * One promtool per file, side by side: a promtool given several files tests them one after another, and the
     * scenarios' and the recording rules' cases take about a minute and 40 s of CPU.
     */
    @Test
    void ruleUnitTestsPass() throws Exception {
        List<Path> tests;
        try (Stream<Path> files = Files.list(RULE_TESTS)) {
            tests = files.filter(path -> path.toString().endsWith(".test.yml")).sorted().toList();
        }
        assertEquals(4, tests.size(), "unit test files in " + RULE_TESTS + ": " + tests);
        ExecutorService runs = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            Map<Path, Future<ExternalTool.Result>> results = new LinkedHashMap<>();
            for (Path test : tests) {
                results.put(test, runs.submit(() -> promtool(List.of("test", "rules", test.toString()))));
            }
            for (Map.Entry<Path, Future<ExternalTool.Result>> run : results.entrySet()) {
                ExternalTool.Result result = run.getValue().get();
                assertEquals(0, result.exitCode(), "promtool test rules " + run.getKey() + ":\n" + result.output());
            }
        } finally {
            runs.shutdownNow();
        }
    }

    static List<Path> ruleFiles() throws IOException {
        try (Stream<Path> files = Files.list(SHIPPED)) {
            return files.filter(path -> path.toString().endsWith(".rules.yml")).sorted().toList();
        }
    }

    /** How many rules (recording and alerting) the shipped rule files define. */
    @SuppressWarnings("unchecked")
    static int shippedRuleCount() throws IOException {
        int count = 0;
        for (Path file : ruleFiles()) {
            Map<String, Object> yaml = new Yaml().load(Files.readString(file));
            for (Map<String, Object> group : (List<Map<String, Object>>) yaml.get("groups")) {
                count += ((List<?>) group.get("rules")).size();
            }
        }
        return count;
    }

    private static ExternalTool.Result promtool(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ExternalTool.require("promtool", "prometheus").toString());
        command.addAll(args);
        return ExternalTool.run(command, "", TIMEOUT);
    }

    private static void assertPromtool(List<String> args) {
        ExternalTool.Result result = promtool(args);
        assertEquals(0, result.exitCode(), "promtool " + String.join(" ", args) + ":\n" + result.output());
    }
}
