package org.acme.example.fault;

import java.time.Duration;

import org.eclipse.microprofile.config.spi.Converter;

import io.quarkus.runtime.configuration.DurationConverter;

/**
 * Reads {@code example.latency.min} and {@code example.latency.max} (durations such as {@code 50ms} or
 * {@code 1s}), rejecting values outside the allowed range so that start-up stops with a clear message.
 */
public class LatencyConverter implements Converter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration duration;
        try {
            duration = DurationConverter.parseDuration(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(FaultRules.invalid("example.latency", value, FaultRules.LATENCY_RANGE));
        }
        FaultRules.requireLatency("example.latency", duration, value);
        return duration;
    }
}
