package org.acme.example;

import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Decides whether a request to {@code /example} fails on purpose.
 */
@ApplicationScoped
public class FaultPolicy {

    private volatile double failureRate;

    FaultPolicy(ExampleConfig config) {
        this.failureRate = config.failureRate();
    }

    public double failureRate() {
        return failureRate;
    }

    /** Draws one outcome; thread-safe, and nothing random is created at build time. */
    public boolean shouldFail() {
        // nextDouble() is in [0, 1): a rate of 0 never fails, a rate of 1 always does.
        return ThreadLocalRandom.current().nextDouble() < failureRate;
    }
}
