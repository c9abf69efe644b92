package org.msa4james.completion;

import java.net.IDN;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.google.common.base.Splitter;

/**
 * Host names as they may stand on the right-hand side of a Message-ID: letters, digits and hyphens in dot-separated
 * labels of at most 63 characters (RFC 1123), at most 253 characters in all, the last label not all digits (so that
 * an IPv4 address is not taken for a host name). Internationalised names are turned into their ASCII form
 * (A-labels), and every name into lower case; a final dot is dropped.
 */
final class HostName {
    private static final int MAXIMUM_LENGTH = 253;
    private static final int MAXIMUM_LABEL_LENGTH = 63;

    private HostName() {
    }

    /** The normalised form of {@code candidate} when it is a host name of two labels or more. */
    static Optional<String> fullyQualified(String candidate) {
        return normalized(candidate).filter(name -> name.contains("."));
    }

    /** The normalised form of {@code candidate} when it is a host name, a single label included. */
    static Optional<String> normalized(String candidate) {
        String name = candidate.endsWith(".") ? candidate.substring(0, candidate.length() - 1) : candidate;
        String ascii;
        try {
            ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (ascii.isEmpty() || ascii.length() > MAXIMUM_LENGTH) {
            return Optional.empty();
        }
        List<String> labels = Splitter.on('.').splitToList(ascii);
        for (String label : labels) {
            if (!isLabel(label)) {
                return Optional.empty();
            }
        }
        if (labels.get(labels.size() - 1).chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(ascii);
    }

    private static boolean isLabel(String label) {
        if (label.isEmpty() || label.length() > MAXIMUM_LABEL_LENGTH || label.startsWith("-") || label.endsWith("-")) {
            return false;
        }
        return label.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
    }
}
