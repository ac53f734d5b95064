package org.acme.example;

/** The one wording of every refused setting, at start-up and at run time: its name, the allowed range, the value. */
public final class InvalidSetting {

    private InvalidSetting() {
    }

    public static String message(String name, String value, String range) {
        return name + " must be " + range + ", got '" + value + "'";
    }
}
