package org.msa4james.concealment;

import java.util.regex.Pattern;

/**
 * Syntax of host names (RFC 1123 section 2.1: letters, digits and hyphens, labels of at most 63 characters, at
 * most 253 in all), for the domains of the rewrite map and the public host name of the trace field.
 */
public final class HostNames {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private HostNames() {
    }

    public static boolean isHostName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** A host name of at least two labels whose last label is not all digits (not an IPv4 address). */
    public static boolean isFullyQualified(String name) {
        if (!isHostName(name) || name.indexOf('.') < 0) {
            return false;
        }
        String lastLabel = name.substring(name.lastIndexOf('.') + 1);
        return !lastLabel.chars().allMatch(Character::isDigit);
    }
}
