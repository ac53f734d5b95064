package org.acme.example.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.acme.example.KubernetesManifestContract;
import org.acme.example.testing.ExternalTool;
import org.acme.example.testing.HelmChart;
import org.junit.jupiter.api.Test;

/**
 * The chart with its default values renders the workload of the generated manifests: the same checks as
 * {@code KubernetesManifestIT}, and field by field the same container, pod and Service settings and scrape endpoint.
 * Rendered as release "prometheus-example", whose resources then have the generated names. What differs on purpose:
 * labels (the selector without the version, so that upgrades work), no build-timestamp annotations,
 * automountServiceAccountToken: false, and the fault file's ConfigMap, which the chart creates from its values.
 */
class HelmChartDefaultsIT extends KubernetesManifestContract {

    @Override
    protected List<Map<String, Object>> manifests() {
        ExternalTool.Result rendered = HelmChart.renderAs("prometheus-example", HelmChart.BUILT);
        assertEquals(0, rendered.exitCode(), rendered.output());
        return HelmChart.documents(rendered.output());
    }

    @Test
    void rendersTheWorkloadOfTheGeneratedManifests() throws IOException {
        List<Map<String, Object>> generated = read(GENERATED);
        Map<String, Object> generatedDeployment = only(generated, "Deployment");
        Map<String, Object> generatedService = only(generated, "Service");
        Map<String, Object> container = container();
        Map<String, Object> generatedContainer = containerOf(generatedDeployment);
        for (String field : List.of("image", "imagePullPolicy", "startupProbe", "livenessProbe", "readinessProbe", "resources",
                "securityContext")) {
            assertEquals(generatedContainer.get(field), container.get(field), "container " + field);
        }
        assertEquals(new HashSet<>(list(generatedContainer.get("ports"))), new HashSet<>(list(container.get("ports"))), "ports");
        assertEquals(new HashSet<>(list(generatedContainer.get("env"))), new HashSet<>(list(container.get("env"))), "env");
        for (String field : List.of("securityContext", "terminationGracePeriodSeconds")) {
            assertEquals(get(generatedDeployment, "spec", "template", "spec", field), get(deployment, "spec", "template", "spec", field),
                    "pod " + field);
        }
        assertEquals(new HashSet<>(list(get(generatedDeployment, "spec", "template", "spec", "volumes"))),
                new HashSet<>(list(get(deployment, "spec", "template", "spec", "volumes"))), "pod volumes");
        assertEquals(new HashSet<>(list(generatedContainer.get("volumeMounts"))), new HashSet<>(list(container.get("volumeMounts"))),
                "volume mounts");
        assertEquals(prometheusAnnotations(get(generatedDeployment, "spec", "template", "metadata", "annotations")),
                get(deployment, "spec", "template", "metadata", "annotations"), "pod annotations");
        assertEquals(prometheusAnnotations(get(generatedService, "metadata", "annotations")),
                get(service, "metadata", "annotations"), "Service annotations");
        assertEquals(get(generatedService, "spec", "type"), get(service, "spec", "type"));
        assertEquals(new HashSet<>(list(get(generatedService, "spec", "ports"))), new HashSet<>(list(get(service, "spec", "ports"))),
                "Service ports");
        Map<String, Object> endpoint = map(list(get(serviceMonitor, "spec", "endpoints")).get(0));
        Map<String, Object> generatedEndpoint = map(list(get(only(generated, "ServiceMonitor"), "spec", "endpoints")).get(0));
        for (String field : List.of("port", "path", "scheme", "interval")) {
            assertEquals(generatedEndpoint.get(field), endpoint.get(field), "ServiceMonitor endpoint " + field);
        }
    }

    /** The generated manifests also carry Quarkus' version and build-time annotations; the chart does not. */
    private static Map<String, Object> prometheusAnnotations(Object annotations) {
        return subMap(map(annotations), Set.of("prometheus.io/scrape", "prometheus.io/path", "prometheus.io/port", "prometheus.io/scheme"));
    }
}
