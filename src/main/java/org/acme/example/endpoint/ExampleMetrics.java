package org.acme.example.endpoint;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * The service's own counters. Created at start-up so that both outcome series exist, at 0, from the first scrape:
 * {@code rate()} and error ratios need the series before the first error happens. (The fault settings' gauges are
 * in the fault package.)
 */
@Startup
// A singleton, not a client proxy: in dev mode, an /example request still answered by the previous start (across a
// live reload) reaches it directly. Through a proxy it would look up the new start's container and put this old
// class's instance there, where the new classes then fail with a ClassCastException.
@Singleton
public class ExampleMetrics {

    private final Counter successes;
    private final Counter errors;
    private final SimulatedFailureLog failureLog;

    ExampleMetrics(MeterRegistry registry, SimulatedFailureLog failureLog) {
        this.successes = outcomeCounter(registry, "success");
        this.errors = outcomeCounter(registry, "error");
        this.failureLog = failureLog;
    }

    private static Counter outcomeCounter(MeterRegistry registry, String outcome) {
        return Counter.builder("example.requests")
                .description("Requests to /example by outcome (error = simulated failure)")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** Counts one answer: 200, or the status of a simulated failure. */
    public void answered(int status) {
        (status == 200 ? successes : errors).increment();
        failureLog.answered(status);
    }
}
