package org.acme.example.fault.scenario;

import org.acme.example.fault.FaultChange;
import org.acme.example.fault.FaultRules;
import org.acme.example.fault.StatusMix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scenarios the service ships, one for each behaviour of the shipped alerts (src/main/prometheus/). Every step sets
 * every setting, so a scenario does the same whatever the baseline; when its alerts fire depends only on how long
 * Prometheus has seen the service before (the alerts compare error ratios over up to 3 days of data). The times below
 * assume a fresh Prometheus that saw 5 minutes of healthy traffic first; src/test/prometheus/example-scenarios.test.yml
 * checks them with promtool, step by step.
 */
public final class ShippedScenarios {

    public static final String FAST_BURN = "fast-burn";
    public static final String SLOW_BURN = "slow-burn";
    public static final String P99_LATENCY = "p99-latency";
    public static final String FLAPPING_READINESS = "flapping-readiness";

    public static final List<Scenario> ALL = List.of(
            new Scenario(FAST_BURN,
                    "An upstream overload: 90% of requests fail (503, some 500) for 6 minutes, then none for 10."
                            + " The fast-burn page fires about 5 minutes in and resolves about 8 minutes after the"
                            + " recovery; the slow-burn ticket follows about 16 minutes in, as after any real outage"
                            + " of this size, and stays until the 6-hour error ratio is back under 5%.",
                    List.of("ExampleErrorBudgetFastBurn", "ExampleErrorBudgetSlowBurn"),
                    List.of(step(Duration.ofMinutes(6), errors(0.9, "503=3,500=1")),
                            step(Duration.ofMinutes(10), healthy()))),
            new Scenario(SLOW_BURN,
                    "A flaky dependency: 20% of requests fail (500, 502, 504) for 25 minutes: above the"
                            + " ticket's thresholds, below the page's. The slow-burn ticket fires about 17 minutes"
                            + " in; the fast-burn page never does.",
                    List.of("ExampleErrorBudgetSlowBurn"),
                    List.of(step(Duration.ofMinutes(25), errors(0.2, "500=1,502=1,504=1")))),
            new Scenario(P99_LATENCY,
                    "Slow answers: every request takes 300 to 400 ms for 15 minutes, none fails. The p99"
                            + " latency alert fires about 11 minutes in and resolves about 5 minutes after the end.",
                    List.of("ExampleLatencyP99High"),
                    List.of(step(Duration.ofMinutes(15), new FaultChange(0.0, only500(), ms(300), ms(400), true, true, null, FaultChange.Saturation.NONE)))),
            new Scenario(FLAPPING_READINESS,
                    "Readiness flaps: /ready is DOWN for 30 s, then UP for 30 s, 10 times, with no errors and no"
                            + " latency. Kubernetes takes the pod out of its Service and puts it back each time; no"
                            + " shipped alert fires (they watch requests and scrapes, not readiness).",
                    List.of(),
                    flapping(10)));

    private ShippedScenarios() {
    }

    public static Optional<Scenario> named(String name) {
        return ALL.stream().filter(scenario -> scenario.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return ALL.stream().map(Scenario::name).toList();
    }

    private static Scenario.Step step(Duration duration, FaultChange change) {
        return new Scenario.Step(change, duration);
    }

    private static FaultChange errors(double rate, String statuses) {
        return new FaultChange(rate, FaultRules.parseStatusMix("statuses", statuses), ms(0), ms(0), true, true, null, FaultChange.Saturation.NONE);
    }

    private static FaultChange healthy() {
        return new FaultChange(0.0, only500(), ms(0), ms(0), true, true, null, FaultChange.Saturation.NONE);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private static StatusMix only500() {
        return StatusMix.ONLY_500;
    }

    private static List<Scenario.Step> flapping(int times) {
        List<Scenario.Step> steps = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            steps.add(step(Duration.ofSeconds(30), new FaultChange(0.0, only500(), ms(0), ms(0), false, true, null, FaultChange.Saturation.NONE)));
            steps.add(step(Duration.ofSeconds(30), healthy()));
        }
        return List.copyOf(steps);
    }
}
