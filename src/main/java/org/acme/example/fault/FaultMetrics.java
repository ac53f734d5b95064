package org.acme.example.fault;

import org.acme.example.ExampleConfig;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The fault settings as gauges, read from the policy at each scrape, so that a change shows at once. Each series
 * exists from start-up, except {@code example_failure_status_ratio}: one series per status that has been in a mix
 * since start-up (at most the 101 failure statuses), 0 once it has left the current mix.
 */
@Startup
@ApplicationScoped
public class FaultMetrics {

    private final MeterRegistry registry;
    private final FaultPolicy policy;
    private final Set<Integer> statuses = ConcurrentHashMap.newKeySet();

    FaultMetrics(MeterRegistry registry, FaultPolicy policy, FaultFile file, ExampleConfig config) {
        this.registry = registry;
        this.policy = policy;
        settingGauge("example.failure.rate", "ratio", "Probability that a request to /example fails on purpose",
                FaultSettings::failureRate);
        settingGauge("example.latency.min", "seconds", "Lower bound of the simulated latency added to /example",
                s -> s.latencyMinMs() / 1000.0);
        settingGauge("example.latency.max", "seconds", "Upper bound of the simulated latency added to /example",
                s -> s.latencyMaxMs() / 1000.0);
        settingGauge("example.fault.ready", null, "1 when the fault settings let /ready pass, 0 when they hold it DOWN",
                s -> s.ready() ? 1 : 0);
        settingGauge("example.fault.live", null, "1 when the fault settings let /live pass, 0 when they hold it DOWN",
                s -> s.live() ? 1 : 0);
        double startupDelay = config.startupDelay().toMillis() / 1000.0;
        Gauge.builder("example.startup.delay", () -> startupDelay)
                .description("How long /started stays DOWN after start-up (example.startup-delay)")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("example.fault.override.remaining", policy, FaultMetrics::overrideRemainingSeconds)
                .description("Time left until every override and scenario has ended and the baseline applies again;"
                        + " 0 when none runs or one has no end")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("example.fault.file.valid", file, f -> f.valid() ? 1 : 0)
                .description("1 when the fault file is valid or none is configured, 0 while it is invalid")
                .register(registry);
        register(policy.state());
    }

    /** A status that enters a mix gets its series. */
    void register(@Observes FaultState state) {
        state.effective().failureStatuses().weights().keySet().forEach(this::statusGauge);
        state.baseline().failureStatuses().weights().keySet().forEach(this::statusGauge);
    }

    private void statusGauge(int status) {
        if (statuses.add(status)) {
            Gauge.builder("example.failure.status", policy, p -> p.settings().failureStatuses().share(status))
                    .description("Share of the simulated failures of /example answered with this status")
                    .tag("status", String.valueOf(status))
                    .baseUnit("ratio")
                    .register(registry);
        }
    }

    private static double overrideRemainingSeconds(FaultPolicy policy) {
        Instant end = policy.state().baselineAgainAt();
        return end == null ? 0 : FaultControl.remainingTime(end, Instant.now()).toMillis() / 1000.0;
    }

    private void settingGauge(String name, String unit, String help, ToDoubleFunction<FaultSettings> value) {
        Gauge.builder(name, policy, p -> value.applyAsDouble(p.settings()))
                .description(help)
                .baseUnit(unit)
                .register(registry);
    }
}
