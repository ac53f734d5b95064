package org.acme.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        Map<String, Object> rate = list(container().get("env")).stream().map(KubernetesManifestContract::map)
                .filter(env -> "EXAMPLE_TRAFFIC_RATE".equals(env.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no EXAMPLE_TRAFFIC_RATE in " + container().get("env")));
        assertEquals("0", rate.get("value"));
    }
}
