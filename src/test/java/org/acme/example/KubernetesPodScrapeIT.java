package org.acme.example;

import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.PrometheusServer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The pod job of src/main/prometheus/prometheus-kubernetes.yml scrapes the service as the generated manifest
 * (target/kubernetes/kubernetes.yml) describes it, by its prometheus.io/* annotations.
 * <p>
 * There is no cluster here, and Debian's Prometheus has no Kubernetes discovery: the test gives the job's
 * relabelling, unchanged, the targets Kubernetes discovery would produce for the manifest's pod (one per
 * container port, with the pod's annotations, labels and phase as {@code __meta_kubernetes_*} labels). The
 * packaged service listens on free ports instead of 8080 and 9101: the ports are mapped, annotation included.
 */
class KubernetesPodScrapeIT {

    private static final Path MANIFEST = Path.of("target", "kubernetes", "kubernetes.yml");
    private static final Path KUBERNETES_CONFIG = PromtoolTest.SHIPPED.resolve("prometheus-kubernetes.yml");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void annotatedRunningPodIsScrapedOnItsManagementPort(@TempDir Path dir) throws IOException {
        Map<String, Object> pod = podTemplate();
        Map<String, String> annotations = stringMap(pod, "metadata", "annotations");
        Map<String, String> labels = stringMap(pod, "metadata", "labels");
        assertEquals("9101", annotations.get("prometheus.io/port"), "annotations: " + annotations);

        try (PackagedApp app = PackagedApp.start(Map.of())) {
            Map<String, String> ports = Map.of("9101", String.valueOf(app.managementPort()),
                    "8080", String.valueOf(app.httpPort()));
            Map<String, String> notScraped = new HashMap<>(annotations);
            notScraped.put("prometheus.io/scrape", "false");

            List<Map<String, Object>> discovered = new ArrayList<>();
            discovered.addAll(discoveredTargets("prometheus-example-7d9f", "Running", annotations, labels, ports));
            discovered.addAll(discoveredTargets("not-annotated", "Running", notScraped, labels, ports));
            discovered.addAll(discoveredTargets("prometheus-example-done", "Succeeded", annotations, labels, ports));

            Map<String, Object> job = podJob();
            job.put("static_configs", discovered);
            try (PrometheusServer prometheus = PrometheusServer.start(dir, List.of(job), List.of())) {
                String address = "127.0.0.1:" + app.managementPort();
                Map<String, Object> target = Poll.until("the pod's target to be up", TIMEOUT, () -> {
                    List<Map<String, Object>> active = prometheus.api("/api/v1/targets").getList("data.activeTargets");
                    return active.size() == 1 && "up".equals(active.get(0).get("health")) ? active.get(0) : null;
                }, () -> prometheus.api("/api/v1/targets").prettify());

                assertEquals("http://" + address + "/metrics", target.get("scrapeUrl"));
                assertEquals(Map.of("job", "prometheus-example", "instance", address, "namespace", "demo",
                        "pod", "prometheus-example-7d9f"), target.get("labels"));
                // 2 ports of the pod that is not annotated and 2 of the finished one.
                assertEquals(4, prometheus.api("/api/v1/targets").getList("data.droppedTargets").size(),
                        prometheus.api("/api/v1/targets").prettify());
                assertEquals(1.0, prometheus.value("up{job=\"prometheus-example\", pod=\"prometheus-example-7d9f\"}"));
            }
        }
    }

    /** What Kubernetes pod discovery yields for a pod at 127.0.0.1: one target per container port. */
    private static List<Map<String, Object>> discoveredTargets(String name, String phase, Map<String, String> annotations,
            Map<String, String> labels, Map<String, String> ports) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("__meta_kubernetes_namespace", "demo");
        meta.put("__meta_kubernetes_pod_name", name);
        meta.put("__meta_kubernetes_pod_phase", phase);
        annotations.forEach((key, value) -> meta.put("__meta_kubernetes_pod_annotation_" + sanitize(key),
                key.equals("prometheus.io/port") ? ports.get(value) : value));
        labels.forEach((key, value) -> meta.put("__meta_kubernetes_pod_label_" + sanitize(key), value));
        List<Map<String, Object>> targets = new ArrayList<>();
        for (String port : ports.values()) {
            targets.add(Map.of("targets", List.of("127.0.0.1:" + port), "labels", meta));
        }
        return targets;
    }

    /** Kubernetes discovery turns annotation and label names into label names this way. */
    private static String sanitize(String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    /** The shipped pod job, without its Kubernetes discovery. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> podJob() throws IOException {
        Map<String, Object> config = new Yaml().load(Files.readString(KUBERNETES_CONFIG));
        Map<String, Object> job = ((List<Map<String, Object>>) config.get("scrape_configs")).stream()
                .filter(j -> "kubernetes-pods".equals(j.get("job_name"))).findFirst().orElseThrow();
        job.remove("kubernetes_sd_configs");
        return job;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> podTemplate() throws IOException {
        for (Object document : new Yaml().loadAll(Files.readString(MANIFEST))) {
            Map<String, Object> resource = (Map<String, Object>) document;
            if ("Deployment".equals(resource.get("kind"))) {
                return (Map<String, Object>) ((Map<String, Object>) resource.get("spec")).get("template");
            }
        }
        throw new AssertionError("no Deployment in " + MANIFEST);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> stringMap(Map<String, Object> map, String... path) {
        Object value = map;
        for (String key : path) {
            value = ((Map<String, Object>) value).get(key);
        }
        Map<String, String> strings = new LinkedHashMap<>();
        ((Map<String, Object>) value).forEach((key, v) -> strings.put(key, String.valueOf(v)));
        return strings;
    }
}
