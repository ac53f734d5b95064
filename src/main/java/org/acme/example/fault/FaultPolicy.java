package org.acme.example.fault;

import org.acme.example.ExampleConfig;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.jboss.logging.Logger;

import jakarta.inject.Singleton;

/**
 * Decides, per request to {@code /example}, whether it fails on purpose and how long it is delayed.
 * Starts from the configuration; can be changed at run time through the management interface.
 */
// A singleton, not a lazy proxy: it is built at start-up (ExampleMetrics needs it), so invalid settings stop
// start-up instead of failing the first request.
@Singleton
public class FaultPolicy {

    private static final Logger LOG = Logger.getLogger(FaultPolicy.class);

    /** What one request suffers. */
    public record Fault(boolean fail, Duration delay) {
    }

    private final AtomicReference<FaultSettings> settings;

    FaultPolicy(ExampleConfig config) {
        this.settings = new AtomicReference<>(FaultSettings.fromConfig(config));
    }

    public FaultSettings settings() {
        return settings.get();
    }

    /**
     * Applies a change atomically; the change validates its result and throws if it is not allowed, in which
     * case nothing changes.
     */
    public FaultSettings update(UnaryOperator<FaultSettings> change) {
        FaultSettings[] previous = new FaultSettings[1];
        FaultSettings next = settings.updateAndGet(current -> {
            previous[0] = current;
            return change.apply(current);
        });
        if (!next.equals(previous[0])) {
            LOG.infof("Fault settings changed from %s to %s", previous[0], next);
        }
        return next;
    }

    /** Draws one request's fault from one snapshot of the settings; thread-safe, nothing random at build time. */
    public Fault draw() {
        FaultSettings current = settings.get();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // nextDouble() is in [0, 1): a rate of 0 never fails, a rate of 1 always does.
        boolean fail = random.nextDouble() < current.failureRate();
        long delayMs = current.latencyMinMs() == current.latencyMaxMs()
                ? current.latencyMinMs()
                : random.nextLong(current.latencyMinMs(), current.latencyMaxMs() + 1);
        return new Fault(fail, Duration.ofMillis(delayMs));
    }
}
