package org.msa4james.encoding;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;

/**
 * What {@link EncodingScanner} found a message needs: the text parts to re-encode and, for each, the exact byte
 * ranges to change (a header field to replace or insert, a body to encode). Every other byte of the message is
 * copied as it is when the plan is {@linkplain #rewrite applied}.
 */
public final class EncodingPlan {
    private static final EncodingPlan NOTHING = new EncodingPlan(ImmutableList.of(), ImmutableList.of());
    private static final int COPY_BUFFER = 16 * 1024;

    private final ImmutableList<ReencodedPart> parts;
    private final ImmutableList<Edit> edits;

    private EncodingPlan(List<ReencodedPart> parts, List<Edit> edits) {
        this.parts = ImmutableList.copyOf(parts);
        this.edits = ImmutableList.copyOf(edits);
    }

    static EncodingPlan of(List<ReencodedPart> parts, List<Edit> edits) {
        long position = 0;
        for (Edit edit : edits) {
            Preconditions.checkArgument(edit.start >= position && edit.end >= edit.start, "edits must be ordered and disjoint");
            position = edit.end;
        }
        return parts.isEmpty() ? NOTHING : new EncodingPlan(parts, edits);
    }

    /** True when the message conforms and must be left as it is. */
    public boolean isEmpty() {
        return parts.isEmpty();
    }

    public ImmutableList<ReencodedPart> parts() {
        return parts;
    }

    /**
     * Writes the re-encoded message: {@code original} must deliver the very bytes that were scanned. Reads it once,
     * holds no more than a buffer, and leaves both streams open.
     *
     * @throws IOException also when {@code original} ends before the plan does (it is not the scanned message)
     */
    public void rewrite(InputStream original, OutputStream out) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        long position = 0;
        for (Edit edit : edits) {
            copy(original, out, edit.start - position, buffer);
            if (edit.isEncoding()) {
                QuotedPrintableEncoder encoder = new QuotedPrintableEncoder(out);
                copy(original, encoder, edit.end - edit.start, buffer);
                encoder.finish();
            } else {
                copy(original, OutputStream.nullOutputStream(), edit.end - edit.start, buffer);
                out.write(edit.replacement());
            }
            position = edit.end;
        }
        original.transferTo(out);
    }

    private static void copy(InputStream in, OutputStream out, long count, byte[] buffer) throws IOException {
        long remaining = count;
        while (remaining > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (read < 0) {
                throw new IOException("The message ended " + remaining + " octets before the part to re-encode: it is not the message that was scanned");
            }
            out.write(buffer, 0, read);
            remaining -= read;
        }
    }

    /** Octets [start, end) of the original message are replaced by fixed bytes, or else quoted-printable encoded. */
    static final class Edit {
        final long start;
        final long end;
        private final Optional<byte[]> replacement;

        private Edit(long start, long end, Optional<byte[]> replacement) {
            this.start = start;
            this.end = end;
            this.replacement = replacement;
        }

        static Edit replace(long start, long end, byte[] replacement) {
            return new Edit(start, end, Optional.of(replacement.clone()));
        }

        static Edit insert(long at, byte[] insertion) {
            return replace(at, at, insertion);
        }

        static Edit encode(long start, long end) {
            return new Edit(start, end, Optional.empty());
        }

        boolean isEncoding() {
            return replacement.isEmpty();
        }

        /** The replacement, for a replacing edit. */
        byte[] replacement() {
            return replacement.orElseThrow().clone();
        }

        @Override
        public String toString() {
            return "[" + start + ", " + end + ") " + replacement.map(bytes -> "replaced by " + new String(bytes, StandardCharsets.US_ASCII)).orElse("encoded");
        }
    }
}
