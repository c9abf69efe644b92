package org.msa4james.storage;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes in parameters: a whole number of bytes, or with a binary unit KiB, MiB, GiB or TiB (e.g. 128MiB); 0 allowed. */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})\\s*(|B|KIB|MIB|GIB|TIB)");

    private ByteSize() {
    }

    /** @throws IllegalArgumentException "must be a size such as 128MiB or 1GiB, not '...'" */
    public static long parse(String value) {
        Matcher matcher = SIZE.matcher(value.trim().toUpperCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("must be a size such as 128MiB or 1GiB, not '" + value + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        switch (matcher.group(2)) {
            case "KIB":
                return Math.multiplyExact(amount, 1L << 10);
            case "MIB":
                return Math.multiplyExact(amount, 1L << 20);
            case "GIB":
                return Math.multiplyExact(amount, 1L << 30);
            case "TIB":
                return Math.multiplyExact(amount, 1L << 40);
            default:
                return amount;
        }
    }

    /** A size for people: whole KiB, MiB or GiB, rounded down, e.g. {@code 117 MiB}. */
    public static String format(long bytes) {
        if (bytes >= 1L << 30) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1L << 10) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
