package org.msa4james.encoding;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.google.common.collect.ImmutableSet;

/** A text body part that has to be re-encoded as quoted-printable, and why. */
public final class ReencodedPart {
    /** What makes a text body part unfit for its declared (or default) transfer encoding. */
    public enum Reason {
        /** A line longer than 998 octets, CRLF excluded (RFC 5322 2.1.1, RFC 2045 2.7 and 2.8). */
        LINE_TOO_LONG("line longer than 998 octets"),
        /** An octet of 0x80 or more in 7bit data (RFC 2045 2.7). */
        EIGHT_BIT("8-bit octets in 7bit data"),
        /** A NUL octet, allowed in neither 7bit nor 8bit data. */
        NUL("NUL octets"),
        /** A CR not followed by LF. */
        BARE_CR("CR without LF"),
        /** An LF not preceded by CR. */
        BARE_LF("LF without CR");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final String section;
    private final String mimeType;
    private final Optional<String> declaredEncoding;
    private final ImmutableSet<Reason> reasons;
    private final long longestLine;

    ReencodedPart(String section, String mimeType, Optional<String> declaredEncoding, Set<Reason> reasons, long longestLine) {
        this.section = section;
        this.mimeType = mimeType;
        this.declaredEncoding = declaredEncoding;
        this.reasons = ImmutableSet.copyOf(reasons);
        this.longestLine = longestLine;
    }

    /** The part's number as IMAP names it: "1" for the body of a single-part message, "2.1" for a nested part. */
    public String section() {
        return section;
    }

    /** The media type, lower case, e.g. "text/plain". */
    public String mimeType() {
        return mimeType;
    }

    /** The Content-Transfer-Encoding as declared, lower case; empty when the part declared none (7bit). */
    public Optional<String> declaredEncoding() {
        return declaredEncoding;
    }

    public ImmutableSet<Reason> reasons() {
        return reasons;
    }

    /** The length of the longest line of the part's body, in octets, line break excluded. */
    public long longestLine() {
        return longestLine;
    }

    @Override
    public String toString() {
        return "part " + section + " " + mimeType + " (" + declaredEncoding.orElse("7bit by default") + "): "
            + reasons.stream()
                .map(reason -> reason == Reason.LINE_TOO_LONG ? "line of " + longestLine + " octets" : reason.description())
                .collect(Collectors.joining(", "));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReencodedPart)) {
            return false;
        }
        ReencodedPart that = (ReencodedPart) o;
        return longestLine == that.longestLine && section.equals(that.section) && mimeType.equals(that.mimeType)
            && declaredEncoding.equals(that.declaredEncoding) && reasons.equals(that.reasons);
    }

    @Override
    public int hashCode() {
        return Objects.hash(section, mimeType, declaredEncoding, reasons, longestLine);
    }
}
