package org.acme.example;

import java.time.Duration;
import java.util.regex.Pattern;

import io.quarkus.runtime.configuration.DurationConverter;

/**
 * How the service reads every duration it is given (configuration, {@code PUT /fault}, scenario steps, per-request
 * delays): as Quarkus writes them ({@code 200ms}, {@code 30s}, {@code 5m}, {@code PT1M}), but always with a unit.
 * Quarkus reads a bare number as seconds, so {@code 200} would silently mean 200 s where 200 ms was meant.
 */
public final class Durations {

    private static final Pattern BARE_NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d*)?");

    private Durations() {
    }

    /**
     * @param range the allowed values, for the message (the caller checks the range itself)
     * @throws IllegalArgumentException naming the setting, the value and the range (and that a unit is required)
     */
    public static Duration parse(String name, String text, String range) {
        String trimmed = text == null ? "" : text.trim();
        if (BARE_NUMBER.matcher(trimmed).matches()) {
            throw new IllegalArgumentException(InvalidSetting.message(name, text, range)
                    + ": a unit is required, e.g. '" + trimmed + "ms' or '" + trimmed + "s'");
        }
        try {
            Duration duration = trimmed.isEmpty() ? null : DurationConverter.parseDuration(trimmed);
            if (duration != null) {
                return duration;
            }
        } catch (RuntimeException e) {
            // reported below with the range
        }
        throw new IllegalArgumentException(InvalidSetting.message(name, text, range));
    }

    /**
     * A duration the way every answer and log line shows it, and {@link #parse} reads it back: the largest unit that
     * gives a whole number ({@code 2h}, {@code 5m}, {@code 90s}), else milliseconds ({@code 1500ms}).
     */
    public static String format(Duration duration) {
        if (duration.getNano() % 1_000_000 != 0) {
            return duration.toString(); // finer than milliseconds: only in messages about a refused value
        }
        long ms = duration.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
