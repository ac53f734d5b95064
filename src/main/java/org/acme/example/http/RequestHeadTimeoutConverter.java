package org.acme.example.http;

import org.acme.example.Durations;
import org.acme.example.InvalidSetting;

import java.time.Duration;

import org.eclipse.microprofile.config.spi.Converter;

/** Reads {@code example.http.request-head-timeout}, refusing what would disable it or let a head take minutes. */
public class RequestHeadTimeoutConverter implements Converter<Duration> {

    static final String NAME = "example.http.request-head-timeout";
    static final Duration MIN = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofSeconds(60);
    static final String RANGE = "a duration from " + MIN.toMillis() + "ms to " + MAX.toSeconds() + "s (such as 10s)";

    @Override
    public Duration convert(String value) {
        Duration duration = Durations.parse(NAME, value, RANGE);
        if (duration.compareTo(MIN) < 0 || duration.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(InvalidSetting.message(NAME, value, RANGE));
        }
        return duration;
    }
}
