package org.acme.example.endpoint;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

/**
 * Waits out a request's simulated latency on a timer of the event loop, so that a delayed request holds no thread.
 * When the client goes away first, the timer is cancelled at once: otherwise each abandoned request would stay in
 * memory until its timer fired, up to a minute later. The number of requests waiting is a gauge.
 */
@Singleton
public class SimulatedDelay {

    private final Vertx vertx;
    private final AtomicInteger waiting = new AtomicInteger();

    SimulatedDelay(Vertx vertx, MeterRegistry registry) {
        this.vertx = vertx;
        Gauge.builder("example.requests.delayed", waiting, AtomicInteger::get)
                .description("Requests to /example waiting out their simulated latency now")
                .register(registry);
    }

    /** Completes after {@code delay}, or never if the request's client goes away first. */
    public Uni<Void> of(Duration delay) {
        if (delay.isZero()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> {
            waiting.incrementAndGet();
            long timer = vertx.setTimer(delay.toMillis(), id -> {
                waiting.decrementAndGet();
                emitter.complete(null);
            });
            // Quarkus REST cancels the subscription when the connection closes before the answer is sent: only then is
            // there a timer left to cancel.
            emitter.onTermination(() -> {
                if (vertx.cancelTimer(timer)) {
                    waiting.decrementAndGet();
                }
            });
        });
    }
}
