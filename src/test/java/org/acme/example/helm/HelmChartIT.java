package org.acme.example.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.acme.example.testing.ExternalTool;
import org.acme.example.testing.HelmChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart as Helm and a Kubernetes API server would see it: {@code helm lint}, the rendered resources valid against
 * the API schemas (offline, see src/test/helm/validate-manifests.mjs), the PrometheusRule made of exactly the rule files
 * promtool tests, the dashboard ConfigMap only when the chart has a dashboard, and the values that must not do harm.
 */
class HelmChartIT {

    private static final Path RULE_FILES = Path.of("src", "main", "prometheus");

    @TempDir
    Path dir;

    @Test
    void lintsWithTheDefaultsAndWithEveryOption() throws IOException {
        Path chart = chartWithStandInDashboard();
        for (List<String> args : List.of(List.<String>of(), List.of("-f", HelmChart.ALL_OPTIONS.toString()))) {
            ExternalTool.Result result = HelmChart.lint(chart, args.toArray(String[]::new));
            assertEquals(0, result.exitCode(), "helm lint " + args + ":\n" + result.output());
            assertTrue(result.output().contains("0 chart(s) failed"), result.output());
        }
    }

    @Test
    void rendersResourcesValidAgainstTheKubernetesApiSchemas() throws IOException {
        Path chart = chartWithStandInDashboard();
        Path defaults = write("defaults.yaml", HelmChart.template(chart));
        Path allOptions = write("all-options.yaml", HelmChart.template(chart, "-f", HelmChart.ALL_OPTIONS.toString()));
        int resources = HelmChart.documents(Files.readString(defaults)).size() + HelmChart.documents(Files.readString(allOptions)).size();
        assertTrue(resources >= 14, resources + " resources");

        ExternalTool.Result result = HelmChart.validate(defaults, allOptions);
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(resources, result.output().lines().filter(line -> line.startsWith("valid ")).count(), result.output());
        assertTrue(result.output().contains("typed " + resources + " resources"), result.output());
    }

    /** The check above can fail: a wrong type and an unknown field, each rejected as an API server would. */
    @Test
    void schemaValidationRejectsWhatAnApiServerWould() {
        Path wrongType = write("wrong-type.yaml", HelmChart.template(HelmChart.BUILT, "--set", "replicaCount=two"));
        ExternalTool.Result result = HelmChart.validate(wrongType);
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("invalid apps/v1 Deployment demo-prometheus-example (kubernetes-models")
                && result.output().contains("spec/replicas must be integer"), result.output());

        Path unknownField = write("unknown-field.yaml", HelmChart.template(HelmChart.BUILT, "--set", "podSecurityContext.runAsNonRot=true"));
        result = HelmChart.validate(unknownField);
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("invalid apps/v1 Deployment demo-prometheus-example (types)")
                && result.output().contains("runAsNonRot"), result.output());
    }

    /** One source of truth: the rules Prometheus' Operator loads are those that promtool tests. */
    @Test
    @SuppressWarnings("unchecked")
    void prometheusRuleGroupsAreTheRuleFilesGroups() throws IOException {
        List<Object> expected = new ArrayList<>();
        try (Stream<Path> files = Files.list(RULE_FILES)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".rules.yml")).sorted().toList()) {
                expected.addAll((List<Object>) ((Map<String, Object>) new Yaml().load(Files.readString(file))).get("groups"));
            }
        }
        assertFalse(expected.isEmpty(), "no rule groups in " + RULE_FILES);
        Map<String, Object> rule = only(HelmChart.documents(HelmChart.template(HelmChart.BUILT)), "PrometheusRule");
        assertEquals(expected, ((Map<String, Object>) rule.get("spec")).get("groups"));

        assertTrue(HelmChart.documents(HelmChart.template(HelmChart.BUILT, "--set", "prometheusRule.enabled=false")).stream()
                .noneMatch(resource -> "PrometheusRule".equals(resource.get("kind"))));
    }

    /** Off by default (it needs receivers and an Alertmanager that selects it); on, it refuses to render without them. */
    @Test
    void alertmanagerConfigOnlyWhenAskedFor_andThenWithItsReceivers() {
        assertTrue(HelmChart.documents(HelmChart.template(HelmChart.BUILT)).stream()
                .noneMatch(resource -> "AlertmanagerConfig".equals(resource.get("kind"))));
        ExternalTool.Result result = HelmChart.render(HelmChart.BUILT, "--set", "alertmanagerConfig.enabled=true");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("alertmanagerConfig.receivers.page: where the page alerts go"), result.output());
    }

    @Test
    void dashboardConfigMapOnlyWhenTheChartHasADashboard() throws IOException {
        Path chart = HelmChart.copy(dir);
        Path dashboards = chart.resolve("files/dashboards");
        if (Files.isDirectory(dashboards)) {
            try (Stream<Path> files = Files.list(dashboards)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
        assertEquals(List.of(), dashboardConfigMaps(HelmChart.template(chart)), "no dashboard");

        Files.createDirectories(dashboards);
        Files.writeString(dashboards.resolve("stand-in.json"), HelmChartAllOptionsIT.STAND_IN_DASHBOARD);
        List<Map<String, Object>> configMaps = dashboardConfigMaps(HelmChart.template(chart));
        assertEquals(1, configMaps.size(), configMaps.toString());
        assertEquals(Map.of("stand-in.json", HelmChartAllOptionsIT.STAND_IN_DASHBOARD), configMaps.get(0).get("data"));
        assertEquals(List.of(), dashboardConfigMaps(HelmChart.template(chart, "--set", "dashboard.enabled=false")), "disabled");
    }

    /** The service refuses an empty password at start-up: without one, no variable at all. */
    @Test
    void passwordVariableOnlyWithAPassword() {
        assertFalse(HelmChart.template(HelmChart.BUILT).contains("FAULT_CONTROL_PASSWORD"));

        List<Map<String, Object>> resources = HelmChart.documents(HelmChart.template(HelmChart.BUILT,
                "--set", "faultControl.existingSecret=ops-credentials", "--set", "faultControl.secretKey=fault"));
        assertTrue(resources.stream().noneMatch(resource -> "Secret".equals(resource.get("kind"))), "the chart creates no Secret");
        assertTrue(HelmChart.template(HelmChart.BUILT, "--set", "faultControl.existingSecret=ops-credentials")
                .contains("secretKeyRef:\n                  name: ops-credentials\n                  key: password"));
    }

    /**
     * Changing the fault file changes only its ConfigMap: the pods keep running and re-read the file. (A change to the
     * pod template would restart them.)
     */
    @Test
    void faultFileChangeLeavesThePodsRunning() {
        List<Map<String, Object>> before = HelmChart.documents(HelmChart.template(HelmChart.BUILT, "--set", "faultFile.enabled=true",
                "--set", "dashboard.enabled=false"));
        List<Map<String, Object>> after = HelmChart.documents(HelmChart.template(HelmChart.BUILT, "--set", "faultFile.enabled=true",
                "--set", "dashboard.enabled=false", "--set", "fault.failureRate=0.5"));
        assertEquals(only(before, "Deployment"), only(after, "Deployment"));
        assertNotEquals(only(before, "ConfigMap"), only(after, "ConfigMap"));
    }

    @Test
    void unknownRuntimeIsRefused() {
        ExternalTool.Result result = HelmChart.render(HelmChart.BUILT, "--set", "runtime=graal");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("runtime must be jvm or native, got \"graal\""), result.output());
    }

    private Path chartWithStandInDashboard() throws IOException {
        Path chart = HelmChart.copy(dir);
        Files.createDirectories(chart.resolve("files/dashboards"));
        Files.writeString(chart.resolve("files/dashboards/stand-in.json"), HelmChartAllOptionsIT.STAND_IN_DASHBOARD);
        return chart;
    }

    private static List<Map<String, Object>> dashboardConfigMaps(String manifests) {
        return HelmChart.documents(manifests).stream().filter(resource -> "ConfigMap".equals(resource.get("kind")))
                .filter(configMap -> ((Map<?, ?>) ((Map<?, ?>) configMap.get("metadata")).get("labels"))
                        .containsKey("grafana_dashboard"))
                .toList();
    }

    private static Map<String, Object> only(List<Map<String, Object>> resources, String kind) {
        List<Map<String, Object>> found = resources.stream().filter(resource -> kind.equals(resource.get("kind"))).toList();
        assertEquals(1, found.size(), kind + "s: " + found);
        return found.get(0);
    }

    private Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
