package org.acme.example;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The service's own meters. Created at start-up so that both outcome series exist, at 0, from the first scrape:
 * {@code rate()} and error ratios need the series before the first error happens.
 */
@Startup
@ApplicationScoped
public class ExampleMetrics {

    static final String REQUESTS = "example.requests";

    private final Counter successes;
    private final Counter errors;

    ExampleMetrics(MeterRegistry registry, FaultPolicy policy) {
        this.successes = outcomeCounter(registry, "success");
        this.errors = outcomeCounter(registry, "error");
        Gauge.builder("example.failure.rate", policy, FaultPolicy::failureRate)
                .description("Configured probability that a request to /example fails on purpose")
                .baseUnit("ratio")
                .register(registry);
    }

    private static Counter outcomeCounter(MeterRegistry registry, String outcome) {
        return Counter.builder(REQUESTS)
                .description("Requests to /example by outcome (error = simulated failure)")
                .tag("outcome", outcome)
                .register(registry);
    }

    public void success() {
        successes.increment();
    }

    public void error() {
        errors.increment();
    }
}
