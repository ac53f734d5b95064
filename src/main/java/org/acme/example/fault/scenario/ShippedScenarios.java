package org.acme.example.fault.scenario;

import org.acme.example.fault.FaultChange;
import org.acme.example.fault.FaultRules;
import org.acme.example.fault.SaturationRules;
import org.acme.example.fault.StatusMix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scenarios the service ships, one for each behaviour of the shipped alerts (src/main/prometheus/). Every step sets
 * every setting, so a scenario does the same whatever the baseline. Each is sized from the thresholds of the alerts it
 * is meant to trigger, for a Prometheus that has seen the service healthy (1% errors) for a long time, as one that runs
 * in a cluster has: the availability alerts compare error ratios over windows of up to 3 days, and a long healthy past
 * dilutes a new error, so a page needs 43 of the last 60 minutes failing and a ticket, without a page, needs hours. The
 * descriptions also give the times on a fresh Prometheus (the README's 10-minute demo), where every window holds only the few
 * minutes there are. src/test/prometheus/example-scenarios.test.yml proves both with promtool, to the minute, and shows
 * the arithmetic.
 * <p>
 * The saturation scenarios are sized from the machine they run on (its cores, its memory limit), read each time the
 * list is asked for, never at build time: the alerts they trigger compare shares (of the CPUs, of the memory limit),
 * so a share is what must be the same everywhere. None of them needs the operator password: the CPU burn leaves a
 * share of a core free and the memory growth stops short of the limit (SaturationRules.authorize).
 */
public final class ShippedScenarios {

    public static final String FAST_BURN = "fast-burn";
    public static final String SLOW_BURN = "slow-burn";
    public static final String P99_LATENCY = "p99-latency";
    public static final String FLAPPING_READINESS = "flapping-readiness";
    public static final String MEMORY_LEAK = "memory-leak";
    public static final String CPU_SATURATION = "cpu-saturation";
    public static final String CONNECTION_RESETS = "connection-resets";
    /** The share of the available cores cpu-saturation burns: above the alert's 90%, short of every core. */
    static final double CPU_SATURATION_SHARE = 0.95;
    /** The slowest growth the memory fault allows: a leak that takes minutes, not seconds, to reach the limit. */
    static final long MEMORY_LEAK_RATE = SaturationRules.MIB;

    private ShippedScenarios() {
    }

    /** The shipped scenarios, the saturation ones sized for this machine now. */
    public static List<Scenario> all() {
        return List.of(
            new Scenario(FAST_BURN,
                    "An upstream outage: every request fails (503, some 500) for 1 hour. The fast-burn page needs"
                            + " 72% errors over the last hour (and the last 5 minutes): after a long healthy history it"
                            + " fires 46 minutes in and resolves 2 minutes after the end; 1 hour of errors is too little"
                            + " for a ticket, which needs 15% of a day or 5% of 3 days failing. On a fresh Prometheus the"
                            + " page fires 5 minutes in (30% over"
                            + " all the data, 6-hour branch) and resolves 22 minutes after the end, and the slow-burn"
                            + " ticket fires 16 minutes in (Alertmanager holds it back while the page fires) and"
                            + " resolves 5 h 46 min after the end.",
                    List.of("ExampleErrorBudgetFastBurn"),
                    List.of(step(Duration.ofHours(1), errors(1.0, "503=3,500=1")))),
            new Scenario(SLOW_BURN,
                    "A flaky dependency: 29% of requests fail (500, 502, 504) for 13 hours, just under the 30%"
                            + " that pages over 6 hours. The slow-burn ticket needs 5% errors over 3 days (and 6 hours):"
                            + " after a long healthy history (1% errors) it fires 10 h 33 min in and resolves"
                            + " 5 h 9 min after the end; the page never fires. On a fresh Prometheus the ticket fires"
                            + " 16 minutes in.",
                    List.of("ExampleErrorBudgetSlowBurn"),
                    List.of(step(Duration.ofHours(13), errors(0.29, "500=1,502=1,504=1")))),
            new Scenario(P99_LATENCY,
                    "Slow answers: every request takes 300 to 400 ms for 15 minutes, none fails. The p99"
                            + " latency alert reads the last 5 minutes only, so the history does not matter: it fires"
                            + " 11 minutes in and resolves 5 minutes after the end.",
                    List.of("ExampleLatencyP99High"),
                    List.of(step(Duration.ofMinutes(15), new FaultChange(0.0, only500(), ms(300), ms(400), true, true, null, FaultChange.Saturation.NONE)))),
            new Scenario(FLAPPING_READINESS,
                    "Readiness flaps: /ready is DOWN for 30 s, then UP for 30 s, 10 times, with no errors and no"
                            + " latency. Kubernetes takes the pod out of its Service and puts it back each time; no"
                            + " shipped alert fires (they watch requests and scrapes, not readiness).",
                    List.of(),
                    flapping(10)),
                new Scenario(MEMORY_LEAK,
                        "A memory leak until restart: native memory grows by 1 MiB/s towards the memory limit for 10"
                                + " minutes, then is freed at once, as the restart that ends a real leak frees it. Without"
                                + " allowOomKill the growth stops at 90% of the limit, so the scenario never ends the"
                                + " process (an OOM kill is PUT /fault with allowOomKill, and the operator password)."
                                + " ExampleMemoryNearLimit fires one minute after the resident memory passes 85% of the"
                                + " limit: under the Helm chart's 256 MiB limit, from about 130 MiB at rest, 3 minutes"
                                + " in; it resolves 1 minute after the end. The limit is the container's, else the"
                                + " machine's memory: without a container limit the growth holds at most 600 MiB and"
                                + " fires nothing.",
                        List.of("ExampleMemoryNearLimit"),
                        List.of(step(Duration.ofMinutes(10), saturated(new FaultChange.Saturation(0.0,
                                wholeMiB(SaturationRules.memoryLimitBytes()), MEMORY_LEAK_RATE, false, 0.0, 0.0, null,
                                null))))),
                new Scenario(CPU_SATURATION,
                        "CPU saturation: 95% of the available cores are kept busy for 15 minutes (every core"
                                + " would starve the service, and needs the operator password), no request fails. ExampleCpuSaturated needs process_cpu_usage above 90% over 5 minutes,"
                                + " for 5 minutes: it fires 11 minutes in and resolves 1 minute after the end. Under a"
                                + " Kubernetes CPU limit the pod is throttled meanwhile.",
                        List.of("ExampleCpuSaturated"),
                        List.of(step(Duration.ofMinutes(15), saturated(new FaultChange.Saturation(
                                CPU_SATURATION_SHARE * SaturationRules.availableCores(), 0L, null, false,
                                0.0, 0.0, null, null))))),
                new Scenario(CONNECTION_RESETS,
                        "Connections reset: 30% of /example connections are closed with a TCP reset instead of an"
                                + " answer for 10 minutes, as a crashed peer or a middlebox does. Clients see"
                                + " \"connection reset by peer\"; the service counts the resets in"
                                + " example_requests_reset_total and in http_server_requests with status RESET (outcome"
                                + " CLIENT_ERROR), which the availability SLO does not count as errors (5xx only), and"
                                + " they take no time: no shipped alert fires. Resets are for the clients, the load"
                                + " balancer or a probe from outside to measure.",
                        List.of(),
                        List.of(step(Duration.ofMinutes(10), saturated(new FaultChange.Saturation(0.0, 0L, null, false,
                                0.0, 0.3, null, null))))));
    }

    public static Optional<Scenario> named(String name) {
        return all().stream().filter(scenario -> scenario.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return all().stream().map(Scenario::name).toList();
    }

    private static Scenario.Step step(Duration duration, FaultChange change) {
        return new Scenario.Step(change, duration);
    }

    private static FaultChange errors(double rate, String statuses) {
        return new FaultChange(rate, FaultRules.parseStatusMix("statuses", statuses), ms(0), ms(0), true, true, null, FaultChange.Saturation.NONE);
    }

    /**
     * Healthy answers, with the saturation faults given: each one set, so that the baseline's do not mix in, but the
     * crash, which a step cannot unset (and which no scenario may need: its state is lost when the process ends).
     */
    private static FaultChange saturated(FaultChange.Saturation saturation) {
        return new FaultChange(0.0, only500(), ms(0), ms(0), true, true, null, saturation);
    }

    private static FaultChange healthy() {
        return new FaultChange(0.0, only500(), ms(0), ms(0), true, true, null, FaultChange.Saturation.NONE);
    }

    /** Down to whole MiB, so that the list shows the target as 256MiB rather than in bytes. */
    private static long wholeMiB(long bytes) {
        return bytes / SaturationRules.MIB * SaturationRules.MIB;
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
