package org.acme.example.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.acme.example.testing.HelmChart;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.PrometheusServer;
import org.acme.example.testing.Traffic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The rules select {@code job="prometheus-example"}; the Prometheus Operator names the job of a ServiceMonitor's targets
 * after the Service, here {@code demo-prometheus-example}, unless the ServiceMonitor's {@code jobLabel} names a Service
 * label. The chart's ServiceMonitor sets {@code jobLabel: app.kubernetes.io/name}, which is always "prometheus-example".
 * <p>
 * No cluster and no Operator here: the test turns the rendered ServiceMonitor into the scrape job the Operator would
 * generate (its relabelling for a ServiceMonitor endpoint, transcribed from prometheus-operator's
 * pkg/prometheus/promcfg.go; the parts this chart uses), gives it the targets Kubernetes endpoints discovery would
 * yield for the rendered Service, and runs a real Prometheus against the packaged service with the rendered
 * PrometheusRule's groups as its rules. A second job, the same ServiceMonitor without jobLabel, shows what the rules
 * would miss.
 */
class ServiceMonitorJobIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    @SuppressWarnings("unchecked")
    void operatorJobOfTheRenderedServiceMonitorIsTheJobTheRulesSelect(@TempDir Path dir) throws IOException {
        List<Map<String, Object>> resources = HelmChart.documents(HelmChart.template(HelmChart.BUILT));
        Map<String, Object> service = only(resources, "Service");
        Map<String, Object> monitor = only(resources, "ServiceMonitor");
        Map<String, Object> rule = only(resources, "PrometheusRule");
        String serviceName = (String) ((Map<String, Object>) service.get("metadata")).get("name");
        assertEquals("demo-prometheus-example", serviceName, "the release name is part of the Service's name");

        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path rules = Files.writeString(dir.resolve("prometheusrule.rules.yml"),
                new Yaml(block).dump(Map.of("groups", ((Map<String, Object>) rule.get("spec")).get("groups"))));

        Map<String, Object> withoutJobLabel = copyWithout(monitor, "jobLabel");
        try (PackagedApp app = PackagedApp.start(Map.of());
                Traffic traffic = Traffic.start(app.baseUrl())) {
            List<Map<String, Object>> discovered = endpointsDiscovery(service, app);
            List<Map<String, Object>> jobs = List.of(operatorScrapeJob(monitor, discovered), operatorScrapeJob(withoutJobLabel, discovered));
            try (PrometheusServer prometheus = PrometheusServer.start(dir, jobs, List.of(rules))) {
                Poll.until("both jobs' targets up", TIMEOUT,
                        () -> Double.valueOf(2).equals(prometheus.value("sum(up{service=\"" + serviceName + "\"})")) ? true : null,
                        () -> prometheus.api("/api/v1/targets").prettify());

                Map<String, Object> target = prometheus.query("up{job=\"prometheus-example\"}").get(0);
                assertEquals(Map.of("__name__", "up", "job", "prometheus-example", "namespace", "demo", "service", serviceName,
                        "endpoint", "metrics", "pod", "demo-prometheus-example-7d9f", "container", "prometheus-example",
                        "instance", "127.0.0.1:" + app.managementPort()), target.get("metric"));
                assertEquals(1.0, prometheus.value("up{job=\"" + serviceName + "\"}"), "without jobLabel: the Service's name");

                // The rendered recording rules see the first job's requests, not the second's.
                Poll.until("the request rate recorded for job prometheus-example", TIMEOUT,
                        () -> prometheus.query("job_uri:http_server_requests:rate5m").size() == 1
                                && prometheus.value("job_uri:http_server_requests:rate5m{job=\"prometheus-example\", uri=\"/example\"}") > 0
                                ? true : null,
                        () -> prometheus.query("job_uri:http_server_requests:rate5m") + " after " + traffic);
                assertEquals("inactive", prometheus.alertingRules().stream().filter(r -> "ExampleTargetAbsent".equals(r.get("name")))
                        .findFirst().orElseThrow().get("state"));
            }
        }
    }

    /**
     * The scrape job the Operator generates for the ServiceMonitor's first endpoint: keep the Service by the selector's
     * labels and the endpoint by port name, set namespace, service, pod and container, drop finished pods, set job from
     * the Service's name and then from its jobLabel label, set endpoint. (Scrape interval and timeout are left to the
     * test server's 1 s: they are not what is tested.)
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> operatorScrapeJob(Map<String, Object> monitor, List<Map<String, Object>> discovered) {
        Map<String, Object> spec = (Map<String, Object>) monitor.get("spec");
        Map<String, Object> endpoint = (Map<String, Object>) ((List<Object>) spec.get("endpoints")).get(0);
        Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
        List<Map<String, Object>> relabel = new ArrayList<>();
        selector.keySet().stream().sorted().forEach(key -> relabel.add(Map.of("action", "keep",
                "source_labels", List.of("__meta_kubernetes_service_label_" + sanitize(key), "__meta_kubernetes_service_labelpresent_" + sanitize(key)),
                "regex", "(" + selector.get(key) + ");true")));
        relabel.add(Map.of("action", "keep", "source_labels", List.of("__meta_kubernetes_endpoint_port_name"), "regex", endpoint.get("port")));
        relabel.add(Map.of("source_labels", List.of("__meta_kubernetes_endpoint_address_target_kind", "__meta_kubernetes_endpoint_address_target_name"),
                "separator", ";", "regex", "Pod;(.*)", "replacement", "${1}", "target_label", "pod"));
        relabel.add(Map.of("source_labels", List.of("__meta_kubernetes_namespace"), "target_label", "namespace"));
        relabel.add(Map.of("source_labels", List.of("__meta_kubernetes_service_name"), "target_label", "service"));
        relabel.add(Map.of("source_labels", List.of("__meta_kubernetes_pod_name"), "target_label", "pod"));
        relabel.add(Map.of("source_labels", List.of("__meta_kubernetes_pod_container_name"), "target_label", "container"));
        relabel.add(Map.of("action", "drop", "source_labels", List.of("__meta_kubernetes_pod_phase"), "regex", "(Failed|Succeeded)"));
        relabel.add(Map.of("source_labels", List.of("__meta_kubernetes_service_name"), "target_label", "job", "replacement", "${1}"));
        if (spec.get("jobLabel") instanceof String jobLabel) {
            relabel.add(Map.of("source_labels", List.of("__meta_kubernetes_service_label_" + sanitize(jobLabel)), "target_label", "job",
                    "regex", "(.+)", "replacement", "${1}"));
        }
        relabel.add(Map.of("target_label", "endpoint", "replacement", endpoint.get("port")));

        Map<String, Object> job = new LinkedHashMap<>();
        Map<String, Object> metadata = (Map<String, Object>) monitor.get("metadata");
        job.put("job_name", "serviceMonitor/demo/" + metadata.get("name") + (spec.containsKey("jobLabel") ? "" : "-without-jobLabel") + "/0");
        job.put("metrics_path", endpoint.get("path"));
        job.put("scheme", endpoint.get("scheme"));
        job.put("honor_labels", false);
        job.put("static_configs", discovered);
        job.put("relabel_configs", relabel);
        return job;
    }

    /**
     * What endpoints discovery yields for the rendered Service and one running pod at 127.0.0.1: a target per Service
     * port, with the Service's labels. The packaged service listens on free ports, not 8080 and 9101.
     */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> endpointsDiscovery(Map<String, Object> service, PackagedApp app) {
        Map<String, Object> metadata = (Map<String, Object>) service.get("metadata");
        Map<String, String> containerPorts = Map.of("http", String.valueOf(app.httpPort()), "management", String.valueOf(app.managementPort()));
        List<Map<String, Object>> targets = new ArrayList<>();
        for (Object port : (List<Object>) ((Map<String, Object>) service.get("spec")).get("ports")) {
            Map<String, Object> servicePort = (Map<String, Object>) port;
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("__meta_kubernetes_namespace", "demo");
            meta.put("__meta_kubernetes_service_name", (String) metadata.get("name"));
            ((Map<String, Object>) metadata.get("labels")).forEach((key, value) -> {
                meta.put("__meta_kubernetes_service_label_" + sanitize(key), String.valueOf(value));
                meta.put("__meta_kubernetes_service_labelpresent_" + sanitize(key), "true");
            });
            meta.put("__meta_kubernetes_endpoint_port_name", (String) servicePort.get("name"));
            meta.put("__meta_kubernetes_endpoint_address_target_kind", "Pod");
            meta.put("__meta_kubernetes_endpoint_address_target_name", "demo-prometheus-example-7d9f");
            meta.put("__meta_kubernetes_pod_name", "demo-prometheus-example-7d9f");
            meta.put("__meta_kubernetes_pod_container_name", "prometheus-example");
            meta.put("__meta_kubernetes_pod_phase", "Running");
            String address = "127.0.0.1:" + containerPorts.get((String) servicePort.get("targetPort"));
            targets.add(Map.of("targets", List.of(address), "labels", meta));
        }
        return targets;
    }

    /** Kubernetes discovery and the Operator turn label names into Prometheus label names this way. */
    private static String sanitize(String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copyWithout(Map<String, Object> monitor, String specField) {
        Map<String, Object> copy = new LinkedHashMap<>(monitor);
        Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) monitor.get("spec"));
        spec.remove(specField);
        copy.put("spec", spec);
        return copy;
    }

    private static Map<String, Object> only(List<Map<String, Object>> resources, String kind) {
        List<Map<String, Object>> found = resources.stream().filter(resource -> kind.equals(resource.get("kind"))).toList();
        assertEquals(1, found.size(), kind + "s: " + found);
        return found.get(0);
    }
}
