package org.acme.example;

/**
 * The allowed values of every fault setting, written once and used both when the configuration is read
 * at start-up and when a setting is changed at run time.
 */
public final class FaultRules {

    public static final String FAILURE_RATE_RANGE = "a number in [0, 1]";

    private FaultRules() {
    }

    /**
     * @param name  how the caller knows the setting (a property or a field), used in the message
     * @param value the candidate value
     * @return the value, if it is a probability
     * @throws IllegalArgumentException naming the setting, the value and the allowed range
     */
    public static double requireFailureRate(String name, double value) {
        // NaN fails both comparisons, so it is rejected along with infinities and out-of-range values.
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(invalid(name, String.valueOf(value), FAILURE_RATE_RANGE));
        }
        return value;
    }

    public static double parseFailureRate(String name, String text) {
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(invalid(name, text, FAILURE_RATE_RANGE));
        }
        return requireFailureRate(name, value);
    }

    static String invalid(String name, String value, String range) {
        return name + " must be " + range + ", got '" + value + "'";
    }
}
