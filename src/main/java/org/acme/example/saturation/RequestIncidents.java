package org.acme.example.saturation;

import org.acme.example.fault.FaultPolicy;
import org.acme.example.fault.FaultSettings;

import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;

/**
 * The saturation faults a request to {@code /example} can suffer before it is answered: held unanswered (hang) or
 * its connection reset. A singleton on the request path (see ExampleMetrics).
 */
@Singleton
public class RequestIncidents {

    private final FaultPolicy policy;
    private final HeldRequests held;
    private final Counter resets;

    RequestIncidents(FaultPolicy policy, HeldRequests held, MeterRegistry registry) {
        this.policy = policy;
        this.held = held;
        this.resets = Counter.builder("example.requests.reset")
                .description("Connections of /example requests closed with a TCP reset by the reset fault")
                .register(registry);
    }

    /**
     * Draws this request's incident: a Uni that completes when a hung request is let go, or a Uni that never
     * completes for a reset connection; null when the request goes on as usual.
     */
    public Uni<Boolean> draw(HttpServerRequest request) {
        FaultSettings settings = policy.settings();
        if (settings.resetRate() == 0 && settings.hangRate() == 0) {
            return null;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (random.nextDouble() < settings.resetRate() && ConnectionReset.reset(request)) {
            resets.increment();
            return Uni.createFrom().nothing();
        }
        if (random.nextDouble() < settings.hangRate()) {
            return held.hold();
        }
        return null;
    }
}
