package org.acme.example.helm;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    /** The saturation faults, mild ones: the fault file alone takes them. */
    private static final String[] SATURATION = { "--set", "fault.cpuBurnCores=0.25", "--set", "fault.memoryTarget=16MiB",
            "--set", "fault.memoryRate=8MiB/s", "--set", "fault.hangRate=0.2", "--set", "fault.resetRate=0.1" };
    private static final String PASSWORD = "open-sesame";
    private static final List<String> FAULT_VARIABLES = List.of("EXAMPLE_FAILURE_RATE", "EXAMPLE_FAILURE_STATUSES",
            "EXAMPLE_LATENCY_MIN", "EXAMPLE_LATENCY_MAX", "EXAMPLE_REQUEST_FAULTS_ENABLED");

    @TempDir
    Path dir;

    @Test
    void faultValuesTakeEffectThroughTheFaultFile() {
        String[] args = Stream.concat(Arrays.stream(FAULTS), Arrays.stream(SATURATION)).toArray(String[]::new);
        RenderedPod pod = RenderedPod.of(HelmChart.template(HelmChart.BUILT, args));
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
            assertEquals(0.25f, state.getFloat("cpuBurnCores"));
            assertEquals("16MiB", state.getString("memoryTarget"));
            assertEquals("8MiB/s", state.getString("memoryRate"));
            assertEquals(0.2f, state.getFloat("hangRate"));
            assertEquals(0.1f, state.getFloat("resetRate"));
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

    /**
     * fault.crashAfter makes a crash loop through the source a pod reads at every start: the fault file, with the
     * password from the chart's Secret. Without the file it is the environment (whose variables SaturationFaultsIT
     * proves), never both.
     */
    @Test
    void theCrashValuesMakeACrashLoop() {
        String[] crash = { "--set", "fault.crashAfter=1s", "--set", "fault.crashExitCode=5", "--set",
                "faultControl.password=" + PASSWORD };
        RenderedPod pod = RenderedPod.of(HelmChart.template(HelmChart.BUILT, crash));
        assertEquals(null, pod.env.get("EXAMPLE_CRASH_AFTER"), "one source: " + pod.env);
        assertTrue(pod.fromSecrets.contains("EXAMPLE_FAULT_CONTROL_PASSWORD"), pod.fromSecrets.toString());
        PackagedApp app = pod.launch(dir, Map.of("EXAMPLE_FAULT_CONTROL_PASSWORD", PASSWORD));
        try {
            assertEquals(5, app.awaitExit(Duration.ofSeconds(60)), app.output());
            assertTrue(app.output().contains("exiting with code 5 now"), app.output());
        } finally {
            app.close();
        }
        RenderedPod withoutFile = RenderedPod.of(HelmChart.template(HelmChart.BUILT,
                Stream.concat(Arrays.stream(crash), Stream.of("--set", "faultFile.enabled=false")).toArray(String[]::new)));
        assertEquals(null, withoutFile.faultFile);
        assertEquals("1s", withoutFile.env.get("EXAMPLE_CRASH_AFTER"));
        assertEquals("5", withoutFile.env.get("EXAMPLE_CRASH_EXIT_CODE"));
    }

    @Test
    void theSaturationValuesAreRefusedWhereTheServiceWouldRefuseThem() {
        ExternalTool.Result result = HelmChart.render(HelmChart.BUILT, "--set", "fault.crashAfter=30s");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("fault.crashAfter ends the process: the service takes it only with the"
                + " operator password set"), result.output());
        result = HelmChart.render(HelmChart.BUILT, "--set", "fault.memoryTarget=1GiB", "--set", "fault.allowOomKill=true");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("fault.allowOomKill lets memory growth end the process"), result.output());
        result = HelmChart.render(HelmChart.BUILT, "--set", "faultFile.enabled=false", "--set", "fault.hangRate=0.5");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("fault.hangRate is only read from the fault file"), result.output());
        result = HelmChart.render(HelmChart.BUILT, "--set", "fault.cpuBurnCores=all");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("fault.cpuBurnCores must be a number, got \"all\""), result.output());
    }

    private static JsonPath state(PackagedApp app) {
        return given().get(app.managementUrl() + "/fault").then().statusCode(200).extract().jsonPath();
    }

    /**
     * The container's plain environment variables, the names of those from a Secret, and the fault file's content
     * (null without one).
     */
    private record RenderedPod(Map<String, String> env, Set<String> fromSecrets, String faultFile) {

        @SuppressWarnings("unchecked")
        static RenderedPod of(String manifests) {
            Map<String, String> env = new HashMap<>();
            Set<String> fromSecrets = new HashSet<>();
            String faultFile = null;
            for (Map<String, Object> resource : HelmChart.documents(manifests)) {
                if ("Deployment".equals(resource.get("kind"))) {
                    Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) resource.get("spec")).get("template");
                    List<Map<String, Object>> containers = (List<Map<String, Object>>) ((Map<String, Object>) spec.get("spec"))
                            .get("containers");
                    for (Map<String, Object> variable : (List<Map<String, Object>>) containers.get(0).get("env")) {
                        if (variable.get("value") != null) { // not those from a Secret or a field
                            env.put((String) variable.get("name"), (String) variable.get("value"));
                        } else if (variable.get("valueFrom") instanceof Map<?, ?> from && from.containsKey("secretKeyRef")) {
                            fromSecrets.add((String) variable.get("name"));
                        }
                    }
                }
                Map<String, Object> data = (Map<String, Object>) resource.get("data");
                if ("ConfigMap".equals(resource.get("kind")) && data != null && data.containsKey("fault.json")) {
                    faultFile = (String) data.get("fault.json");
                }
            }
            return new RenderedPod(env, fromSecrets, faultFile);
        }

        /** The packaged jar as the pod would run it, the ConfigMap mounted where EXAMPLE_FAULT_FILE says; ready. */
        PackagedApp start(Path dir) {
            return PackagedApp.start(variables(dir, Map.of()));
        }

        /** As {@link #start}, without waiting for it to be ready; {@code secrets}: the variables from Secrets. */
        PackagedApp launch(Path dir, Map<String, String> secrets) {
            return PackagedApp.launch(variables(dir, secrets));
        }

        private Map<String, String> variables(Path dir, Map<String, String> secrets) {
            Map<String, String> variables = new HashMap<>(env);
            variables.putAll(secrets);
            if (variables.containsKey("EXAMPLE_FAULT_FILE")) {
                ConfigMapVolume volume = ConfigMapVolume.create(dir.resolve("fault"), "fault.json");
                if (faultFile != null) {
                    volume.publish(faultFile);
                }
                variables.put("EXAMPLE_FAULT_FILE", volume.file().toString());
            }
            return variables;
        }
    }
}
