package org.msa4james.headercheck;

import java.util.Objects;

/**
 * One header field as the message carries it: the raw line (folding kept) split into its name and value.
 *
 * <p>The line is what JavaMail keeps for a header field it read from a stream: every byte became one character
 * (ISO-8859-1), so a character at or above 0x80 stands for a raw 8-bit byte. When JavaMail is told to read UTF-8
 * ({@code mail.mime.allowutf8}), a non-ASCII character still stands for 8-bit bytes, and a malformed sequence
 * becomes U+FFFD: either way the distinction between 7-bit and 8-bit text is kept.</p>
 */
public final class HeaderField {
    private final String name;
    private final String value;
    private final String line;

    private HeaderField(String name, String value, String line) {
        this.name = name;
        this.value = value;
        this.line = line;
    }

    /**
     * Splits a raw header line ("Name: value", folded or not) at its first colon. A line without a colon (which
     * RFC 5322 does not allow, but JavaMail keeps) is all name and no value.
     */
    public static HeaderField parse(String line) {
        Objects.requireNonNull(line);
        int colon = line.indexOf(':');
        if (colon < 0) {
            return new HeaderField(line.trim(), "", line);
        }
        int valueStart = colon + 1;
        while (valueStart < line.length() && isFoldingWhiteSpace(line.charAt(valueStart))) {
            valueStart++;
        }
        return new HeaderField(line.substring(0, colon).trim(), line.substring(valueStart), line);
    }

    private static boolean isFoldingWhiteSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** The field name as written (white space before the colon removed). */
    public String name() {
        return name;
    }

    /** The value after the colon and the white space that follows it, folding kept. */
    public String value() {
        return value;
    }

    /** The whole line as the message carries it. */
    public String line() {
        return line;
    }

    public boolean hasName(String fieldName) {
        return name.equalsIgnoreCase(fieldName);
    }

    /** Whether the field holds a character outside US-ASCII, i.e. raw 8-bit bytes in the message. */
    public boolean hasEightBitCharacters() {
        for (int index = 0; index < line.length(); index++) {
            if (line.charAt(index) >= 0x80) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return line;
    }
}
