package org.acme.example.saturation;

import org.acme.example.fault.SaturationRules;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.inject.Singleton;

/**
 * The requests to {@code /example} that the hang fault holds unanswered: at most
 * {@link SaturationRules#MAX_HELD_REQUESTS}, each until its client gives up or the fault ends
 * ({@link #releaseAll}), when it is answered. A singleton on the request path (see ExampleMetrics).
 */
@Singleton
public class HeldRequests {

    private final Set<UniEmitter<? super Boolean>> held = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();

    HeldRequests(MeterRegistry registry) {
        Gauge.builder("example.requests.hung", count, AtomicInteger::get)
                .description("Requests to /example held unanswered by the hang fault now (at most "
                        + SaturationRules.MAX_HELD_REQUESTS + ")")
                .register(registry);
    }

    /**
     * Holds one more request, if the bound allows: the item (true) comes when the fault ends; null when the bound is
     * reached (the request is answered as usual).
     */
    public Uni<Boolean> hold() {
        if (count.incrementAndGet() > SaturationRules.MAX_HELD_REQUESTS) {
            count.decrementAndGet();
            return null;
        }
        return Uni.createFrom().emitter(emitter -> {
            held.add(emitter);
            // The client went away, or the fault ended: either way it is no longer held.
            emitter.onTermination(() -> {
                if (held.remove(emitter)) {
                    count.decrementAndGet();
                }
            });
        });
    }

    public int count() {
        return count.get();
    }

    /** Answers every held request. */
    void releaseAll() {
        for (UniEmitter<? super Boolean> emitter : held) {
            emitter.complete(true);
        }
    }
}
