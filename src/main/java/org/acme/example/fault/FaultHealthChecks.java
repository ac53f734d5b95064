package org.acme.example.fault;

import org.acme.example.Durations;
import org.acme.example.ExampleConfig;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

/**
 * The faults the probes see, as the health check {@value #NAME} in each group: {@code ready: false} holds
 * {@code /ready} DOWN (Kubernetes takes the pod out of its Service), {@code live: false} holds {@code /live} DOWN
 * (Kubernetes restarts the container, which then starts from its configured state), and
 * {@code example.startup-delay} holds {@code /started} DOWN for that long after start-up (a demo of startup probes).
 */
@ApplicationScoped
public class FaultHealthChecks {

    static final String NAME = "fault-control";

    private final FaultPolicy policy;
    private final Duration startupDelay;
    /** When the application started (the start-up event, at run time: nothing is taken at build time). */
    private volatile long startedAt;

    FaultHealthChecks(FaultPolicy policy, ExampleConfig config) {
        this.policy = policy;
        this.startupDelay = config.startupDelay();
    }

    void started(@Observes StartupEvent event) {
        startedAt = System.nanoTime();
    }

    @Produces
    @Liveness
    HealthCheck live() {
        return () -> setting(FaultJson.LIVE, policy.settings().live());
    }

    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> setting(FaultJson.READY, policy.settings().ready());
    }

    @Produces
    @org.eclipse.microprofile.health.Startup
    HealthCheck startupDelay() {
        return () -> {
            Duration remaining = startupDelay.minusNanos(System.nanoTime() - startedAt).truncatedTo(ChronoUnit.MILLIS);
            return HealthCheckResponse.named(NAME)
                    .status(remaining.isNegative() || remaining.isZero())
                    .withData("startupDelay", Durations.format(startupDelay))
                    .withData("remaining", Durations.format(remaining.isNegative() ? Duration.ZERO : remaining))
                    .build();
        };
    }

    private HealthCheckResponse setting(String name, boolean up) {
        return HealthCheckResponse.named(NAME)
                .status(up)
                .withData(name, up)
                .withData("source", policy.state().sourceOf(name))
                .build();
    }
}
