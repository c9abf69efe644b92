package org.msa4james.config;

import java.util.Locale;

/**
 * The value types that hook and mailet parameters share, parsed strictly: a value that is not exactly of the type
 * is refused with a problem text for the caller to prefix with the parameter's name.
 */
public final class ParameterValues {
    private ParameterValues() {
    }

    /**
     * @throws IllegalArgumentException "must be true or false, not '...'"
     */
    public static boolean parseBoolean(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException("must be true or false, not '" + value + "'");
        }
    }

    /**
     * @throws IllegalArgumentException "must be a positive integer, not '...'"
     */
    public static int parsePositiveInt(String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("must be a positive integer, not '" + value + "'");
    }
}
