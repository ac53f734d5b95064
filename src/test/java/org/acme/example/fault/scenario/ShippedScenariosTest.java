package org.acme.example.fault.scenario;

import org.acme.example.fault.FaultChange;
import org.acme.example.fault.SaturationRules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The promtool cases of src/test/prometheus/example-scenarios.test.yml (which assert when each shipped scenario's
 * alerts fire) feed the series that scenario really produces: minute by minute, from the case's start, the share of
 * errors, the share of each status and the share of answers slower than 250 ms are those of the scenario's step. So
 * changing a scenario without its cases fails here. Each scenario has a case after a long healthy history (at least
 * 2 hours) and one on a fresh Prometheus (5 minutes), the two situations its description gives times for.
 */
class ShippedScenariosTest {

    static final Path CASES = Path.of("src", "test", "prometheus", "example-scenarios.test.yml");
    /** A case's name: the scenario's name, then the minute its steps start, after that much healthy baseline. */
    private static final Pattern CASE_NAME = Pattern.compile("([\\w-]+), from minute (\\d+) \\(.*\\)");
    static final int FRESH_START_MINUTE = 5;
    static final int LONG_HISTORY_MINUTES = 120;
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Pattern TOKEN = Pattern.compile("(-?[\\d.]+)(?:([+-])([\\d.]+))?(?:x(\\d+))?");
    /** The share of the CPUs the service uses on its own, above a CPU burn (scrapes, timers, the GC): at most this. */
    private static final double OWN_CPU_SHARE = 0.05;

    static Map<String, Map<String, Object>> cases = new HashMap<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(CASES));
        for (Map<String, Object> test : (List<Map<String, Object>>) file.get("tests")) {
            cases.put((String) test.get("name"), test);
        }
    }

    @Test
    void everyShippedScenarioHasACaseAfterALongHistoryAndOneOnAFreshPrometheus() {
        Map<String, List<Integer>> starts = new HashMap<>();
        for (String name : cases.keySet()) {
            starts.computeIfAbsent(scenarioOf(name), scenario -> new ArrayList<>()).add(startOf(name));
        }
        assertEquals(new HashSet<>(ShippedScenarios.names()), starts.keySet());
        starts.forEach((scenario, minutes) -> {
            assertTrue(minutes.contains(FRESH_START_MINUTE), scenario + " starts at minutes " + minutes);
            assertTrue(minutes.stream().anyMatch(minute -> minute >= LONG_HISTORY_MINUTES), scenario + " starts at minutes " + minutes);
        });
    }

    /** Then a scenario does the same whatever the baseline it starts from. */
    @ParameterizedTest
    @MethodSource("names")
    void everyStepSetsEverySetting(String name) {
        for (Scenario.Step step : ShippedScenarios.named(name).orElseThrow().steps()) {
            FaultChange change = step.change();
            for (Object setting : List.of(change.failureRate(), change.failureStatuses(), change.latencyMin(),
                    change.latencyMax(), change.ready(), change.live())) {
                assertNotNull(setting, name + ": " + change);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("caseNames")
    @SuppressWarnings("unchecked")
    void theCaseFeedsTheSeriesTheScenarioProduces(String caseName) {
        String name = scenarioOf(caseName);
        int start = startOf(caseName);
        Scenario scenario = ShippedScenarios.named(name).orElseThrow();
        Map<String, double[]> requestsByStatus = new HashMap<>();
        Map<String, double[]> bucketsByLe = new HashMap<>();
        Map<String, double[]> gauges = new HashMap<>();
        for (Map<String, Object> input : (List<Map<String, Object>>) cases.get(caseName).get("input_series")) {
            String series = (String) input.get("series");
            Map<String, String> labels = labels(series);
            double[] values = expand((String) input.get("values"));
            if (series.startsWith("http_server_requests_seconds_count{")) {
                requestsByStatus.put(labels.get("status"), values);
            } else if (series.startsWith("http_server_requests_seconds_bucket{")) {
                bucketsByLe.put(labels.get("le"), values);
            } else {
                gauges.put(series.substring(0, series.indexOf('{')), values);
            }
        }
        long minutes = scenario.duration().toMinutes();
        for (int minute = 0; minute < minutes; minute++) {
            int sample = start + minute + 1; // the increment up to this sample is the scenario's minute
            FaultChange step = stepAt(scenario, Duration.ofSeconds(minute * 60L + 30)).change();
            Map<Integer, Long> answers = new HashMap<>();
            long reset = 0; // connections reset instead of an answer (status RESET): the failure draw is for the others
            for (Map.Entry<String, double[]> status : requestsByStatus.entrySet()) {
                if (status.getKey().equals("RESET")) {
                    reset = increase(status.getValue(), sample);
                } else {
                    answers.put(Integer.valueOf(status.getKey()), increase(status.getValue(), sample));
                }
            }
            long total = answers.values().stream().mapToLong(Long::longValue).sum();
            long failed = answers.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
            String at = caseName + ", minute " + minute + " of the scenario: " + answers;
            assertTrue(total > 0, at);
            assertEquals(step.failureRate(), (double) failed / total, 1e-9, at);
            double resetRate = step.saturation().resetRate() == null ? 0 : step.saturation().resetRate();
            assertEquals(resetRate, (double) reset / (total + reset), 1e-9, at + ", " + reset + " reset");
            for (Map.Entry<Integer, Long> status : answers.entrySet()) {
                if (status.getKey() >= 500 && failed > 0) {
                    assertEquals(step.failureStatuses().share(status.getKey()), (double) status.getValue() / failed,
                            1e-9, at);
                }
            }
            if (!bucketsByLe.isEmpty()) {
                long all = increase(bucketsByLe.get("+Inf"), sample);
                long slow = all - increase(bucketsByLe.getOrDefault("0.25", bucketsByLe.get("0.005")), sample);
                assertEquals(total, all, at + ": the histogram counts every answer");
                double expected = step.latencyMin().toMillis() > 250 ? 1 : step.latencyMax().toMillis() <= 250 ? 0 : Double.NaN;
                assertEquals(expected, (double) slow / all, 1e-9, at + ": share of answers over 250 ms");
            }
        }
        if (scenario.steps().stream().anyMatch(step -> step.change().saturation().memoryTarget() != null
                && step.change().saturation().memoryTarget() > 0)) {
            theMemoryGrowsAsTheScenarioMakesIt(caseName, scenario, start, gauges);
        }
        if (scenario.steps().stream().anyMatch(step -> step.change().saturation().cpuBurnCores() != null
                && step.change().saturation().cpuBurnCores() > 0)) {
            theCpuIsUsedAsTheScenarioBurnsIt(caseName, scenario, start, gauges);
        }
    }

    /**
     * Each minute the resident memory grows by the step's rate, at most, and stays under the safe share of the limit
     * (no scenario allows the OOM kill); where the rate would pass it, it stops within one second's growth below. It
     * falls back to where it started when the scenario ends.
     */
    private static void theMemoryGrowsAsTheScenarioMakesIt(String caseName, Scenario scenario, int start,
            Map<String, double[]> gauges) {
        double[] resident = gauges.get("process_resident_memory_bytes");
        double[] limit = gauges.get("example_memory_limit_bytes");
        assertNotNull(resident, caseName + ": process_resident_memory_bytes");
        assertNotNull(limit, caseName + ": example_memory_limit_bytes");
        long minutes = scenario.duration().toMinutes();
        for (int minute = 0; minute < minutes; minute++) {
            int sample = start + minute + 1;
            FaultChange.Saturation step = stepAt(scenario, Duration.ofSeconds(minute * 60L + 30)).change().saturation();
            String at = caseName + ", minute " + minute + " of the scenario";
            assertEquals(false, step.allowOomKill(), at + ": a scenario never allows the OOM kill");
            double ceiling = SaturationRules.SAFE_SHARE_OF_LIMIT * limit[sample];
            double grown = resident[sample - 1] + step.memoryRate() * 60;
            if (grown <= ceiling) {
                assertEquals(grown, resident[sample], at + ": grows by its rate");
            } else {
                assertTrue(resident[sample] <= ceiling && resident[sample] > ceiling - step.memoryRate(),
                        at + ": stops within a second's growth below " + ceiling + ": " + resident[sample]);
            }
        }
        assertEquals(resident[start], resident[start + (int) minutes + 1], caseName + ": the memory freed at the end");
    }

    /** While it burns, the process uses the share of the CPUs it burns and a little of its own; before and after, little. */
    private static void theCpuIsUsedAsTheScenarioBurnsIt(String caseName, Scenario scenario, int start,
            Map<String, double[]> gauges) {
        double[] usage = gauges.get("process_cpu_usage");
        assertNotNull(usage, caseName + ": process_cpu_usage");
        int minutes = (int) scenario.duration().toMinutes();
        for (int minute = 0; minute < minutes; minute++) {
            int sample = start + minute + 1;
            double cores = stepAt(scenario, Duration.ofSeconds(minute * 60L + 30)).change().saturation().cpuBurnCores();
            double share = cores / SaturationRules.availableCores();
            String at = caseName + ", minute " + minute + " of the scenario: " + usage[sample];
            assertTrue(usage[sample] >= share && usage[sample] <= share + OWN_CPU_SHARE, at + ", burning " + share);
        }
        assertTrue(usage[start] <= OWN_CPU_SHARE, caseName + ": before, " + usage[start]);
        assertTrue(usage[start + minutes + 1] <= OWN_CPU_SHARE, caseName + ": after, " + usage[start + minutes + 1]);
    }

    static List<String> names() {
        return ShippedScenarios.names();
    }

    static List<String> caseNames() throws IOException {
        load();
        return cases.keySet().stream().sorted().toList();
    }

    private static String scenarioOf(String caseName) {
        return caseName(caseName).group(1);
    }

    private static int startOf(String caseName) {
        return Integer.parseInt(caseName(caseName).group(2));
    }

    private static Matcher caseName(String caseName) {
        Matcher matcher = CASE_NAME.matcher(caseName);
        assertTrue(matcher.matches(), "a case of " + CASES + " is named \"<scenario>, from minute <m> (...)\": " + caseName);
        return matcher;
    }

    private static Scenario.Step stepAt(Scenario scenario, Duration time) {
        Duration end = Duration.ZERO;
        for (Scenario.Step step : scenario.steps()) {
            end = end.plus(step.duration());
            if (time.compareTo(end) < 0) {
                return step;
            }
        }
        throw new AssertionError(time + " is after the end of " + scenario.name());
    }

    private static long increase(double[] values, int sample) {
        return Math.round(values[sample] - values[sample - 1]);
    }

    private static Map<String, String> labels(String series) {
        Map<String, String> labels = new HashMap<>();
        Matcher label = LABEL.matcher(series);
        while (label.find()) {
            labels.put(label.group(1), label.group(2));
        }
        return labels;
    }

    /** promtool's notation: "a" is one value, "axn" a repeated n more times, "a+bxn" a, a+b, ..., a+n*b. */
    static double[] expand(String notation) {
        List<Double> values = new ArrayList<>();
        for (String token : notation.trim().split("\\s+")) {
            Matcher matcher = TOKEN.matcher(token);
            assertTrue(matcher.matches(), "not a value in promtool's notation: " + token);
            double start = Double.parseDouble(matcher.group(1));
            double step = matcher.group(3) == null ? 0 : Double.parseDouble(matcher.group(3)) * ("-".equals(matcher.group(2)) ? -1 : 1);
            int times = matcher.group(4) == null ? 0 : Integer.parseInt(matcher.group(4));
            for (int i = 0; i <= times; i++) {
                values.add(start + i * step);
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void theNotationIsExpandedAsPromtoolDoes() {
        assertEquals(List.of(0.0, 60.0, 120.0, 5.0, 5.0, 5.0, 7.0, 0.5, 0.5), Arrays.stream(expand("0+60x2 5x2 7 0.5x1")).boxed().toList());
    }
}
