package org.acme.example.helm;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.acme.example.testing.ConfigMapVolume;
import org.acme.example.testing.ExternalTool;
import org.acme.example.testing.HelmChart;
import org.acme.example.testing.PackagedApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.path.json.JsonPath;

/**
 * The chart's fault values take effect: what the real {@code helm template} renders is given to the packaged jar as
 * a pod gets it (the container's environment, and the fault file's ConfigMap in a directory laid out as the kubelet
 * lays it out), and {@code GET /fault} shows the values. Each setting has one source: the fault file when it is on
 * (the default), the environment when it is off, never both (a file value used to shadow the variable).
 */
class HelmFaultValuesIT {

    private static final String[] FAULTS = { "--set", "fault.failureRate=0.2", "--set", "fault.latencyMin=50ms",
            "--set", "fault.latencyMax=80ms", "--set", "fault.failureStatuses.503=1", "--set", "fault.requestFaults=true" };
    private static final List<String> FAULT_VARIABLES = List.of("EXAMPLE_FAILURE_RATE", "EXAMPLE_FAILURE_STATUSES",
            "EXAMPLE_LATENCY_MIN", "EXAMPLE_LATENCY_MAX", "EXAMPLE_REQUEST_FAULTS_ENABLED");

    @TempDir
    Path dir;

    @Test
    void faultValuesTakeEffectThroughTheFaultFile() {
        RenderedPod pod = RenderedPod.of(HelmChart.template(HelmChart.BUILT, FAULTS));
        assertTrue(pod.faultFile != null, "the fault file's ConfigMap");
        for (String variable : FAULT_VARIABLES) {
            assertFalse(pod.env.containsKey(variable), variable + " next to the file: " + pod.env);
        }
        try (PackagedApp app = pod.start(dir)) {
            JsonPath state = state(app);
            assertEquals(0.2f, state.getFloat("failureRate"), state.prettify());
            assertEquals(Map.of("503", 1), state.getMap("failureStatuses"));
            assertEquals("50ms", state.getString("latencyMin"));
            assertEquals("80ms", state.getString("latencyMax"));
            assertEquals(true, state.getBoolean("requestFaults"));
            assertEquals("file", state.getString("source"));
        }
    }

    @Test
    void withoutTheFaultFileTheValuesAreTheEnvironment() {
        String[] args = Stream.concat(Arrays.stream(FAULTS), Stream.of("--set", "faultFile.enabled=false"))
                .toArray(String[]::new);
        RenderedPod pod = RenderedPod.of(HelmChart.template(HelmChart.BUILT, args));
        assertEquals(null, pod.faultFile, "no fault file");
        assertEquals("0.2", pod.env.get("EXAMPLE_FAILURE_RATE"));
        try (PackagedApp app = pod.start(dir)) {
            JsonPath state = state(app);
            assertEquals(0.2f, state.getFloat("failureRate"), state.prettify());
            assertEquals("50ms", state.getString("latencyMin"));
            assertEquals(true, state.getBoolean("requestFaults"));
            assertEquals("configuration", state.getString("source"));
        }
    }

    /** The defaults: an empty fault file, and the service's own defaults. */
    @Test
    void theDefaultsAreTheServicesDefaults() {
        RenderedPod pod = RenderedPod.of(HelmChart.template(HelmChart.BUILT));
        assertEquals("{}", pod.faultFile);
        try (PackagedApp app = pod.start(dir)) {
            JsonPath state = state(app);
            assertEquals(0.1f, state.getFloat("failureRate"), state.prettify());
            assertEquals("0s", state.getString("latencyMax"));
        }
    }

    @Test
    void whatTheFileAloneTakesIsRefusedWithoutIt() {
        ExternalTool.Result result = HelmChart.render(HelmChart.BUILT, "--set", "faultFile.enabled=false",
                "--set", "fault.ready=false");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("fault.ready is only read from the fault file"), result.output());
        result = HelmChart.render(HelmChart.BUILT, "--set", "faultFile.settings.failureRate=0.5");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("faultFile.settings is no longer read"), result.output());
        result = HelmChart.render(HelmChart.BUILT, "--set", "fault.failureRate=high");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("fault.failureRate must be a number, got \"high\""), result.output());
    }

    private static JsonPath state(PackagedApp app) {
        return given().get(app.managementUrl() + "/fault").then().statusCode(200).extract().jsonPath();
    }

    /** The container's plain environment variables and the fault file's content (null without one). */
    private record RenderedPod(Map<String, String> env, String faultFile) {

        @SuppressWarnings("unchecked")
        static RenderedPod of(String manifests) {
            Map<String, String> env = new HashMap<>();
            String faultFile = null;
            for (Map<String, Object> resource : HelmChart.documents(manifests)) {
                if ("Deployment".equals(resource.get("kind"))) {
                    Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) resource.get("spec")).get("template");
                    List<Map<String, Object>> containers = (List<Map<String, Object>>) ((Map<String, Object>) spec.get("spec"))
                            .get("containers");
                    for (Map<String, Object> variable : (List<Map<String, Object>>) containers.get(0).get("env")) {
                        if (variable.get("value") != null) { // not those from a Secret or a field
                            env.put((String) variable.get("name"), (String) variable.get("value"));
                        }
                    }
                }
                Map<String, Object> data = (Map<String, Object>) resource.get("data");
                if ("ConfigMap".equals(resource.get("kind")) && data != null && data.containsKey("fault.json")) {
                    faultFile = (String) data.get("fault.json");
                }
            }
            return new RenderedPod(env, faultFile);
        }

        /** The packaged jar as the pod would run it, the ConfigMap mounted where EXAMPLE_FAULT_FILE says. */
        PackagedApp start(Path dir) {
            Map<String, String> variables = new HashMap<>(env);
            if (variables.containsKey("EXAMPLE_FAULT_FILE")) {
                ConfigMapVolume volume = ConfigMapVolume.create(dir.resolve("fault"), "fault.json");
                if (faultFile != null) {
                    volume.publish(faultFile);
                }
                variables.put("EXAMPLE_FAULT_FILE", volume.file().toString());
            }
            return PackagedApp.start(variables);
        }
    }
}
