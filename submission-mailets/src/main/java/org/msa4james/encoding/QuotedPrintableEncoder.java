package org.msa4james.encoding;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Quoted-printable encoding of a text body (RFC 2045 section 6.7), streaming, with exactly reversible output.
 *
 * <ul>
 *   <li>CRLF in the input is a line break of the text and becomes a hard line break (CRLF) of the output;
 *       a CR or LF that is not part of a CRLF is data and is encoded ({@code =0D}, {@code =0A}), so that decoding
 *       gives back the input octet for octet;</li>
 *   <li>printable US-ASCII octets (33 to 126 but {@code =}) stand for themselves; every other octet is encoded as
 *       {@code =XX} with upper-case hexadecimal digits;</li>
 *   <li>space and tab stand for themselves, except before a line break and at the end of the input, where they are
 *       encoded ({@code =20}, {@code =09}): trailing white space is not kept by every relay (rule 3);</li>
 *   <li>an output line holds at most 76 characters, the {@code =} of a soft line break included; an encoded
 *       octet is never split by a soft line break;</li>
 *   <li>a line that starts after a soft line break never starts with {@code -}: it is encoded as {@code =2D}, so
 *       that a soft break cannot create a line that looks like a MIME boundary delimiter.</li>
 * </ul>
 *
 * <p>{@link #finish()} writes what is held back; it does not close the underlying stream, nor does {@link #close()}.
 * The output ends with a line break only when the input does.</p>
 */
public final class QuotedPrintableEncoder extends OutputStream {
    public static final int MAX_LINE_LENGTH = 76;

    private static final int CR = '\r';
    private static final int LF = '\n';
    private static final int SPACE = ' ';
    private static final int TAB = '\t';
    private static final int EQUALS = '=';
    private static final int HYPHEN = '-';
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
    private static final byte[] HARD_BREAK = {CR, LF};
    private static final byte[] SOFT_BREAK = {EQUALS, CR, LF};

    private final OutputStream out;
    /** The output line being built, without its line break; one token may overhang while a break is decided. */
    private final byte[] line = new byte[MAX_LINE_LENGTH + 6];
    private int length;
    private int lastTokenStart;
    /** A space or tab read but not written: whether it is trailing depends on what follows. */
    private int pendingWhitespace = -1;
    /** A CR read but not written: whether it starts a CRLF depends on what follows. */
    private boolean pendingCr;

    public QuotedPrintableEncoder(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int octet) throws IOException {
        int b = octet & 0xff;
        if (pendingCr) {
            pendingCr = false;
            if (b == LF) {
                flushWhitespace(true);
                hardBreak();
                return;
            }
            flushWhitespace(false);
            encoded(CR);
        }
        if (b == CR) {
            pendingCr = true;
            return;
        }
        flushWhitespace(false);
        if (b == SPACE || b == TAB) {
            pendingWhitespace = b;
        } else if (b >= 33 && b <= 126 && b != EQUALS) {
            literal(b);
        } else {
            encoded(b);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int count) throws IOException {
        for (int i = offset; i < offset + count; i++) {
            write(bytes[i]);
        }
    }

    /** Writes what is held back; the encoder can be used on, as if the input had been cut here. */
    public void finish() throws IOException {
        if (pendingCr) {
            pendingCr = false;
            flushWhitespace(false);
            encoded(CR);
        }
        flushWhitespace(true);
        out.write(line, 0, length);
        length = 0;
        lastTokenStart = 0;
    }

    /** Finishes; the underlying stream stays open. */
    @Override
    public void close() throws IOException {
        finish();
    }

    private void flushWhitespace(boolean trailing) throws IOException {
        if (pendingWhitespace >= 0) {
            int whitespace = pendingWhitespace;
            pendingWhitespace = -1;
            if (trailing) {
                encoded(whitespace);
            } else {
                literal(whitespace);
            }
        }
    }

    private void literal(int b) throws IOException {
        lastTokenStart = length;
        line[length++] = (byte) b;
        wrapIfNeeded();
    }

    private void encoded(int b) throws IOException {
        lastTokenStart = length;
        line[length++] = EQUALS;
        line[length++] = HEX[b >> 4];
        line[length++] = HEX[b & 0x0f];
        wrapIfNeeded();
    }

    /**
     * Called after each token. A line may reach 76 characters only when a hard break or the end follows, which is
     * not known yet: so a line waits at 76, and once it is longer it is broken with a soft break before its last
     * token, or before its last two tokens when the kept part would otherwise leave no room for the '='.
     */
    private void wrapIfNeeded() throws IOException {
        if (length <= MAX_LINE_LENGTH) {
            return;
        }
        int kept = lastTokenStart;
        if (kept > MAX_LINE_LENGTH - 1) {
            kept = previousTokenStart(kept);
        }
        out.write(line, 0, kept);
        out.write(SOFT_BREAK);
        System.arraycopy(line, kept, line, 0, length - kept);
        length -= kept;
        lastTokenStart -= kept;
        if (line[0] == HYPHEN) {
            System.arraycopy(line, 1, line, 3, length - 1);
            line[0] = EQUALS;
            line[1] = HEX[HYPHEN >> 4];
            line[2] = HEX[HYPHEN & 0x0f];
            length += 2;
            if (lastTokenStart > 0) {
                lastTokenStart += 2;
            }
        }
    }

    /** The start of the token that ends at {@code end}: a token is one literal octet or "=XX" ('=' is never literal). */
    private int previousTokenStart(int end) {
        return end >= 3 && line[end - 3] == EQUALS ? end - 3 : end - 1;
    }

    private void hardBreak() throws IOException {
        out.write(line, 0, length);
        out.write(HARD_BREAK);
        length = 0;
        lastTokenStart = 0;
    }
}
