package org.acme.example;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The manifests the Quarkus Kubernetes extension writes at package time ({@code target/kubernetes/kubernetes.yml},
 * generated from application.properties and merged with src/main/kubernetes/kubernetes.yml).
 */
class KubernetesManifestIT extends KubernetesManifestContract {

    @Override
    protected List<Map<String, Object>> manifests() throws IOException {
        return read(GENERATED);
    }
}
