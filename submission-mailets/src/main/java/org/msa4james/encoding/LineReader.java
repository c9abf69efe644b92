package org.msa4james.encoding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a stream into lines without holding a whole line: a line ends at LF (CRLF or bare LF); a CR not followed
 * by LF is content. For each line it reports where it starts, how long its content is, its terminator and what
 * kinds of octets the content holds, and it keeps only the first {@link #PREFIX_CAPACITY} octets (enough for header
 * fields and boundary delimiter lines), so that memory does not grow with the length of a line or of the stream.
 */
final class LineReader {
    static final int PREFIX_CAPACITY = 4096;

    private static final int CR = '\r';
    private static final int LF = '\n';

    private final InputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private long offset;
    private boolean endOfStream;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** The offset of the next octet to read, i.e. the length of the stream once {@link #next} returned false. */
    long offset() {
        return offset;
    }

    /**
     * Reads the next line into {@code line}.
     *
     * @return false at the end of the stream, when no octet is left
     */
    boolean next(Line line) throws IOException {
        if (!fill()) {
            return false;
        }
        line.reset(offset);
        boolean pendingCr = false;
        while (fill()) {
            int b = buffer[position++] & 0xff;
            offset++;
            if (pendingCr) {
                if (b == LF) {
                    line.terminatorLength = 2;
                    return true;
                }
                line.content(CR);
                pendingCr = false;
            }
            if (b == CR) {
                pendingCr = true;
            } else if (b == LF) {
                line.terminatorLength = 1;
                return true;
            } else {
                line.content(b);
            }
        }
        if (pendingCr) {
            line.content(CR);
        }
        return true;
    }

    private boolean fill() throws IOException {
        while (position == limit && !endOfStream) {
            int read = in.read(buffer);
            if (read < 0) {
                endOfStream = true;
            } else {
                position = 0;
                limit = read;
            }
        }
        return position < limit;
    }

    /** One line, reused from line to line. */
    static final class Line {
        long start;
        long contentLength;
        /** 2 for CRLF, 1 for a bare LF, 0 for the last line of a stream that does not end with LF. */
        int terminatorLength;
        final byte[] prefix = new byte[PREFIX_CAPACITY];
        int prefixLength;
        /** Whether every content octet beyond the prefix is a space or a tab (true when there is none). */
        boolean blankBeyondPrefix;
        boolean eightBit;
        boolean nul;
        boolean bareCr;

        void reset(long start) {
            this.start = start;
            contentLength = 0;
            terminatorLength = 0;
            prefixLength = 0;
            blankBeyondPrefix = true;
            eightBit = false;
            nul = false;
            bareCr = false;
        }

        void content(int b) {
            contentLength++;
            if (prefixLength < PREFIX_CAPACITY) {
                prefix[prefixLength++] = (byte) b;
            } else if (b != ' ' && b != '\t') {
                blankBeyondPrefix = false;
            }
            if (b >= 0x80) {
                eightBit = true;
            } else if (b == 0) {
                nul = true;
            } else if (b == CR) {
                bareCr = true;
            }
        }

        long end() {
            return start + contentLength + terminatorLength;
        }

        boolean isEmpty() {
            return contentLength == 0;
        }

        boolean isTruncated() {
            return contentLength > prefixLength;
        }

        boolean startsWith(byte[] bytes) {
            if (prefixLength < bytes.length) {
                return false;
            }
            for (int i = 0; i < bytes.length; i++) {
                if (prefix[i] != bytes[i]) {
                    return false;
                }
            }
            return true;
        }

        /** The prefix as text, one char per octet. */
        String prefixText(int from) {
            return new String(prefix, from, prefixLength - from, StandardCharsets.ISO_8859_1);
        }
    }
}
