package org.acme.example.http;

import java.time.Duration;

import org.eclipse.microprofile.config.spi.Converter;

import io.quarkus.runtime.configuration.DurationConverter;

/** Reads {@code example.http.request-head-timeout}, refusing what would disable it or let a head take minutes. */
public class RequestHeadTimeoutConverter implements Converter<Duration> {

    static final Duration MIN = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofSeconds(60);

    @Override
    public Duration convert(String value) {
        String range = "a duration from " + MIN.toMillis() + "ms to " + MAX.toSeconds() + "s (such as 10s)";
        Duration duration;
        try {
            duration = DurationConverter.parseDuration(value.trim());
        } catch (IllegalArgumentException e) {
            duration = null;
        }
        if (duration == null || duration.compareTo(MIN) < 0 || duration.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(
                    "example.http.request-head-timeout must be " + range + ", got '" + value + "'");
        }
        return duration;
    }
}
