package org.acme.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The manifests the Quarkus Kubernetes extension writes at package time ({@code target/kubernetes/kubernetes.yml},
 * generated from application.properties and merged with src/main/kubernetes/kubernetes.yml).
 */
class KubernetesManifestIT extends KubernetesManifestContract {

    @Override
    protected List<Map<String, Object>> manifests() throws IOException {
        return read(GENERATED);
    }

    /** The traffic generator is one environment variable away: present, and off. */
    @Test
    void trafficGeneratorIsOneSettingAway() {
        assertEquals("0", env("EXAMPLE_TRAFFIC_RATE"));
    }

    /**
     * The fault file for the whole fleet: an optional ConfigMap (pods start without it) mounted as a directory (a
     * subPath mount never sees the kubelet's updates), readable by the non-root user, and the variable that points
     * the service at the file in it.
     */
    @Test
    void theFaultFileComesFromAnOptionalConfigMap() {
        Map<String, Object> volume = list(get(deployment, "spec", "template", "spec", "volumes")).stream()
                .map(KubernetesManifestContract::map).filter(v -> v.containsKey("configMap")).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap volume"));
        Map<String, Object> configMap = map(volume.get("configMap"));
        assertEquals("prometheus-example-fault", configMap.get("name"));
        assertEquals(Boolean.TRUE, configMap.get("optional"));
        assertEquals(0444, configMap.get("defaultMode"));
        Map<String, Object> mount = list(container().get("volumeMounts")).stream().map(KubernetesManifestContract::map)
                .filter(m -> volume.get("name").equals(m.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("the ConfigMap volume is not mounted"));
        assertFalse(mount.containsKey("subPath"), mount.toString());
        assertEquals(Boolean.TRUE, mount.get("readOnly"));
        assertEquals(mount.get("mountPath") + "/fault.json", env("EXAMPLE_FAULT_FILE"));
    }

    private Object env(String name) {
        return list(container().get("env")).stream().map(KubernetesManifestContract::map)
                .filter(variable -> name.equals(variable.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + container().get("env")))
                .get("value");
    }
}
