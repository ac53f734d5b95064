package org.acme.example.endpoint;

import org.acme.example.fault.FaultPolicy;
import org.acme.example.fault.FaultSettings;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The service's own meters. Created at start-up so that both outcome series exist, at 0, from the first scrape:
 * {@code rate()} and error ratios need the series before the first error happens. The gauges read the current
 * fault settings at each scrape, so a runtime change shows at once.
 */
@Startup
@ApplicationScoped
public class ExampleMetrics {

    private final Counter successes;
    private final Counter errors;

    ExampleMetrics(MeterRegistry registry, FaultPolicy policy) {
        this.successes = outcomeCounter(registry, "success");
        this.errors = outcomeCounter(registry, "error");
        gauge(registry, policy, "example.failure.rate", "ratio",
                "Probability that a request to /example fails on purpose", s -> s.failureRate());
        gauge(registry, policy, "example.latency.min", "seconds",
                "Lower bound of the simulated latency added to /example", s -> s.latencyMinMs() / 1000.0);
        gauge(registry, policy, "example.latency.max", "seconds",
                "Upper bound of the simulated latency added to /example", s -> s.latencyMaxMs() / 1000.0);
    }

    private static Counter outcomeCounter(MeterRegistry registry, String outcome) {
        return Counter.builder("example.requests")
                .description("Requests to /example by outcome (error = simulated failure)")
                .tag("outcome", outcome)
                .register(registry);
    }

    private static void gauge(MeterRegistry registry, FaultPolicy policy, String name, String unit, String help,
            ToDoubleFunction<FaultSettings> value) {
        Gauge.builder(name, policy, p -> value.applyAsDouble(p.settings()))
                .description(help)
                .baseUnit(unit)
                .register(registry);
    }

    public void success() {
        successes.increment();
    }

    public void error() {
        errors.increment();
    }
}
