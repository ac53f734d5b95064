package org.acme.example.traffic;

import org.acme.example.InvalidSetting;

/**
 * The allowed rates of the traffic generator, written once and used both when the configuration is read at start-up
 * (the name is the property's) and when the rate is changed at run time (the name is the JSON field's).
 */
public final class TrafficRules {

    /**
     * Enough to fill every panel of the dashboard many times over; a small share of the rate the service can answer
     * on one CPU, so that the generator cannot crowd out real clients.
     */
    public static final double MAX_RATE = 1000;
    public static final String RATE_RANGE = "a number of requests per second in [0, 1000]";

    private TrafficRules() {
    }

    /**
     * @throws IllegalArgumentException naming the setting, the value and the allowed range
     */
    public static double requireRate(String name, double value) {
        return requireRate(name, value, String.valueOf(value));
    }

    /** Reads a configured rate; the message shows the value as the operator wrote it. */
    public static double parseRate(String name, String text) {
        try {
            return requireRate(name, Double.parseDouble(text.trim()), text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(invalid(name, text));
        }
    }

    /** The rule itself. */
    private static double requireRate(String name, double value, String shown) {
        // NaN fails both comparisons, so it is rejected along with infinities and out-of-range values.
        if (!(value >= 0 && value <= MAX_RATE)) {
            throw new IllegalArgumentException(invalid(name, shown));
        }
        return value + 0.0; // -0.0 becomes 0.0, also in the log
    }

    static String invalid(String name, String value) {
        return InvalidSetting.message(name, value, RATE_RANGE);
    }
}
