package org.acme.example.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.acme.example.KubernetesManifestContract;
import org.acme.example.testing.HelmChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart with every option on (src/test/helm/all-options.values.yaml) still renders a workload that passes the
 * checks of the generated manifests, and each option ends up where it should. The chart is a copy with a stand-in
 * dashboard, so that the dashboard ConfigMap renders whether or not src/main/grafana/ has one.
 */
class HelmChartAllOptionsIT extends KubernetesManifestContract {

    static final String STAND_IN_DASHBOARD = "{\"title\": \"Stand-in\", \"panels\": []}\n";

    @TempDir
    static Path dir;

    private List<Map<String, Object>> resources;
    private Map<String, Object> values;

    @Override
    protected List<Map<String, Object>> manifests() throws IOException {
        Path chart = HelmChart.copy(dir);
        Files.createDirectories(chart.resolve("files/dashboards"));
        Files.writeString(chart.resolve("files/dashboards/stand-in.json"), STAND_IN_DASHBOARD);
        values = new Yaml().load(Files.readString(HelmChart.ALL_OPTIONS));
        resources = HelmChart.documents(HelmChart.template(chart, "-f", HelmChart.ALL_OPTIONS.toString()));
        return resources;
    }

    @Override
    protected Map<String, Object> expectedResources() {
        return Map.of("requests", Map.of("memory", "64Mi", "cpu", "100m"), "limits", Map.of("memory", "128Mi", "cpu", "1000m"));
    }

    @Test
    void deploymentTakesThePodOptions() {
        assertEquals(3, get(deployment, "spec", "replicas"));
        Map<String, Object> pod = map(get(deployment, "spec", "template", "spec"));
        for (String option : List.of("imagePullSecrets", "nodeSelector", "tolerations", "affinity", "topologySpreadConstraints",
                "priorityClassName", "terminationGracePeriodSeconds")) {
            assertEquals(values.get(option), pod.get(option), option);
        }
        assertEquals(values.get("podSecurityContext"), pod.get("securityContext"));
        assertEquals(values.get("securityContext"), container().get("securityContext"));
        Map<String, Object> template = map(get(deployment, "spec", "template", "metadata"));
        assertTrue(map(template.get("labels")).entrySet().containsAll(map(values.get("podLabels")).entrySet()), template.toString());
        assertTrue(map(template.get("annotations")).entrySet().containsAll(map(values.get("podAnnotations")).entrySet()),
                template.toString());
        assertEquals("demo", get(deployment, "metadata", "name"), "fullnameOverride");
    }

    /** runtime: native picks the native image variant (and, see expectedResources, the native resources preset). */
    @Test
    void nativeRuntimeRunsTheNativeImage() {
        assertEquals("registry.example.com/acme/prometheus-example:" + appVersion() + "-native", container().get("image"));
        assertEquals("Always", container().get("imagePullPolicy"));
    }

    /** With the fault file on, the fault settings are in the file only (faultFileIsAConfigMapMountedAsADirectory). */
    @Test
    void startupDelayTrafficAndExtraEnvBecomeEnvironmentVariables() {
        Map<String, Object> env = env();
        for (String inTheFile : List.of("EXAMPLE_FAILURE_RATE", "EXAMPLE_FAILURE_STATUSES", "EXAMPLE_LATENCY_MIN",
                "EXAMPLE_LATENCY_MAX", "EXAMPLE_REQUEST_FAULTS_ENABLED", "EXAMPLE_CRASH_AFTER", "EXAMPLE_CRASH_EXIT_CODE")) {
            assertFalse(env.containsKey(inTheFile), inTheFile + " would be a second source: " + env);
        }
        assertEquals("2s", env.get("EXAMPLE_STARTUP_DELAY"));
        assertEquals("5", env.get("EXAMPLE_TRAFFIC_RATE"));
        assertEquals("/etc/faults/fault.json", env.get("EXAMPLE_FAULT_FILE"));
        assertEquals("false", env.get("QUARKUS_LOG_CONSOLE_JSON_ENABLED"));
        assertEquals(Map.of("fieldRef", Map.of("fieldPath", "metadata.name")), env.get("POD_NAME"));
    }

    @Test
    void passwordComesFromTheSecretTheChartCreates() {
        Map<String, Object> reference = map(get(env().get("EXAMPLE_FAULT_CONTROL_PASSWORD"), "secretKeyRef"));
        Map<String, Object> secret = named("Secret", (String) reference.get("name"));
        String encoded = (String) map(secret.get("data")).get(reference.get("key"));
        assertEquals("change-me", new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
    }

    /** Mounted as a directory, never with subPath (a subPath mount never sees the ConfigMap change). */
    @Test
    void faultFileIsAConfigMapMountedAsADirectory() {
        String file = (String) env().get("EXAMPLE_FAULT_FILE");
        Map<String, Object> mount = list(container().get("volumeMounts")).stream().map(KubernetesManifestContract::map)
                .filter(m -> file.startsWith(m.get("mountPath") + "/")).findFirst().orElseThrow(() -> new AssertionError("no mount for " + file));
        assertNull(mount.get("subPath"), mount.toString());
        assertEquals(Boolean.TRUE, mount.get("readOnly"));
        Map<String, Object> volume = list(get(deployment, "spec", "template", "spec", "volumes")).stream()
                .map(KubernetesManifestContract::map).filter(v -> mount.get("name").equals(v.get("name"))).findFirst().orElseThrow();
        Map<String, Object> configMap = named("ConfigMap", (String) get(volume, "configMap", "name"));
        String key = file.substring(file.lastIndexOf('/') + 1);
        Map<String, Object> settings = new Yaml().load((String) map(configMap.get("data")).get(key));
        Map<String, Object> expected = new LinkedHashMap<>(map(values.get("fault")));
        expected.remove("startupDelay");
        assertEquals(expected, settings);
    }

    @Test
    void serviceMonitorAndRulesCarryTheLabelsPrometheusSelects() {
        assertEquals("kube-prometheus-stack", get(serviceMonitor, "metadata", "labels", "release"));
        Map<String, Object> endpoint = map(list(get(serviceMonitor, "spec", "endpoints")).get(0));
        assertEquals("30s", endpoint.get("interval"));
        assertEquals("5s", endpoint.get("scrapeTimeout"));
        assertEquals("kube-prometheus-stack", get(only(resources, "PrometheusRule"), "metadata", "labels", "release"));
    }

    /** The runbook links point where the value says, through the one series that holds their base. */
    @Test
    void runbookLinksPointAtTheBaseUrlGiven() {
        String rules = new Yaml().dump(get(only(resources, "PrometheusRule"), "spec", "groups"));
        assertTrue(rules.contains("label_replace(vector(1), \"url\", \"" + get(values, "prometheusRule", "runbookBaseUrl") + "\""),
                rules);
        assertFalse(rules.contains("src/site/markdown/alerts.md"), rules);
    }

    /** The same routes, timings and inhibition as src/main/alertmanager/alertmanager.yml; the receivers from the values. */
    @Test
    void alertmanagerConfigRoutesAsTheShippedAlertmanagerConfiguration() throws IOException {
        Map<String, Object> config = only(resources, "AlertmanagerConfig");
        assertEquals("monitoring.coreos.com/v1alpha1", config.get("apiVersion"));
        assertEquals("example", get(config, "metadata", "labels", "alertmanagerConfig"));
        Map<String, Object> shipped = new Yaml().load(Files.readString(Path.of("src", "main", "alertmanager", "alertmanager.yml")));
        Map<String, Object> shippedRoute = map(shipped.get("route"));
        Map<String, Object> route = map(get(config, "spec", "route"));
        assertSameRoute(shippedRoute, route);
        assertEquals(shippedRoute.get("group_by"), route.get("groupBy"));
        List<Object> shippedRoutes = list(shippedRoute.get("routes"));
        List<Object> routes = list(route.get("routes"));
        assertEquals(shippedRoutes.size(), routes.size(), routes.toString());
        for (int i = 0; i < routes.size(); i++) {
            assertSameRoute(map(shippedRoutes.get(i)), map(routes.get(i)));
            assertEquals(matchers(map(shippedRoutes.get(i)).get("matchers")), map(routes.get(i)).get("matchers"));
        }
        Map<String, Object> shippedInhibition = map(list(shipped.get("inhibit_rules")).get(0));
        Map<String, Object> inhibition = map(list(get(config, "spec", "inhibitRules")).get(0));
        assertEquals(matchers(shippedInhibition.get("source_matchers")), inhibition.get("sourceMatch"));
        assertEquals(matchers(shippedInhibition.get("target_matchers")), inhibition.get("targetMatch"));
        assertEquals(shippedInhibition.get("equal"), inhibition.get("equal"));
        Map<String, Object> receivers = new LinkedHashMap<>();
        for (Object receiver : list(get(config, "spec", "receivers"))) {
            Map<String, Object> settings = new LinkedHashMap<>(map(receiver));
            receivers.put((String) settings.remove("name"), settings);
        }
        assertEquals(get(values, "alertmanagerConfig", "receivers"), receivers);
    }

    private static void assertSameRoute(Map<String, Object> shipped, Map<String, Object> rendered) {
        assertEquals(shipped.get("receiver"), rendered.get("receiver"), rendered.toString());
        assertEquals(shipped.get("group_wait"), rendered.get("groupWait"), rendered.toString());
        assertEquals(shipped.get("group_interval"), rendered.get("groupInterval"), rendered.toString());
        assertEquals(shipped.get("repeat_interval"), rendered.get("repeatInterval"), rendered.toString());
    }

    /** severity="page" as an AlertmanagerConfig matcher. */
    private static List<Map<String, Object>> matchers(Object matchers) {
        return list(matchers).stream().map(matcher -> {
            String[] parts = ((String) matcher).split("=", 2);
            return Map.<String, Object>of("name", parts[0], "value", parts[1].replace("\"", ""), "matchType", "=");
        }).toList();
    }

    @Test
    void dashboardConfigMapCarriesTheDashboardsForGrafana() {
        Map<String, Object> configMap = resources.stream().filter(r -> "ConfigMap".equals(r.get("kind")))
                .filter(r -> "1".equals(get(r, "metadata", "labels", "grafana_dashboard"))).findFirst()
                .orElseThrow(() -> new AssertionError("no dashboard ConfigMap"));
        assertEquals(STAND_IN_DASHBOARD, map(configMap.get("data")).get("stand-in.json"));
        assertEquals("Examples", get(configMap, "metadata", "annotations", "grafana_folder"));
    }

    @Test
    void podDisruptionBudgetSelectsThePods() {
        Map<String, Object> budget = only(resources, "PodDisruptionBudget");
        assertEquals(2, get(budget, "spec", "minAvailable"));
        assertSelectsPods(map(get(budget, "spec", "selector", "matchLabels")));
    }

    /** The management port (metrics and PUT /fault) admits only Prometheus; the main port whom the values say. */
    @Test
    void networkPolicyAdmitsTheManagementPortOnlyFromPrometheus() {
        Map<String, Object> policy = only(resources, "NetworkPolicy");
        assertSelectsPods(map(get(policy, "spec", "podSelector", "matchLabels")));
        assertEquals(List.of("Ingress"), get(policy, "spec", "policyTypes"));
        Map<Object, Object> fromByPort = new LinkedHashMap<>();
        for (Object rule : list(get(policy, "spec", "ingress"))) {
            List<Object> ports = list(map(rule).get("ports"));
            assertEquals(1, ports.size(), rule.toString());
            fromByPort.put(resolvePort(map(ports.get(0)).get("port")), map(rule).get("from"));
        }
        assertEquals(Map.of(
                HTTP_PORT, get(values, "networkPolicy", "http", "from"),
                MANAGEMENT_PORT, List.of(Map.of("namespaceSelector", get(values, "networkPolicy", "metrics", "namespaceSelector"),
                        "podSelector", get(values, "networkPolicy", "metrics", "podSelector")))), fromByPort);
    }

    @Test
    void ingressAndHttpRouteLeadToTheMainPort() {
        String serviceName = (String) get(service, "metadata", "name");
        Map<String, Object> ingress = only(resources, "Ingress");
        Map<String, Object> path = map(list(get(list(get(ingress, "spec", "rules")).get(0), "http", "paths")).get(0));
        assertEquals(Map.of("name", serviceName, "port", Map.of("name", "http")), get(path, "backend", "service"));
        assertEquals(HTTP_PORT, resolveTargetPort(servicePort("http")));
        assertEquals("nginx", get(ingress, "spec", "ingressClassName"));

        Map<String, Object> route = only(resources, "HTTPRoute");
        assertEquals(get(values, "httpRoute", "parentRefs"), get(route, "spec", "parentRefs"));
        Map<String, Object> rule = map(list(get(route, "spec", "rules")).get(0));
        assertEquals(get(values, "httpRoute", "matches"), rule.get("matches"));
        Map<String, Object> backend = map(list(rule.get("backendRefs")).get(0));
        assertEquals(serviceName, backend.get("name"));
        assertEquals(HTTP_PORT, resolveTargetPort(servicePortNumbered(backend.get("port"))));
    }

    private Map<String, Object> servicePortNumbered(Object port) {
        return list(get(service, "spec", "ports")).stream().map(KubernetesManifestContract::map).filter(p -> port.equals(p.get("port")))
                .findFirst().orElseThrow(() -> new AssertionError("no Service port " + port));
    }

    private Object resolvePort(Object port) {
        return port instanceof String name ? containerPort(name) : port;
    }

    private void assertSelectsPods(Map<String, Object> selector) {
        assertFalse(selector.isEmpty());
        Map<String, Object> podLabels = map(get(deployment, "spec", "template", "metadata", "labels"));
        assertEquals(selector, subMap(podLabels, selector.keySet()));
    }

    private Map<String, Object> env() {
        Map<String, Object> env = new LinkedHashMap<>();
        for (Object variable : list(container().get("env"))) {
            Map<String, Object> entry = map(variable);
            assertNull(env.put((String) entry.get("name"), entry.containsKey("value") ? entry.get("value") : entry.get("valueFrom")),
                    "twice: " + entry.get("name"));
        }
        return env;
    }

    private Map<String, Object> named(String kind, String name) {
        return resources.stream().filter(r -> kind.equals(r.get("kind")) && name.equals(get(r, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private String appVersion() {
        return (String) get(deployment, "metadata", "labels", "app.kubernetes.io/version");
    }
}
