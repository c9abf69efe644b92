package org.msa4james.encoding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.field.ContentTransferEncodingFieldImpl;
import org.apache.james.mime4j.field.ContentTypeFieldLenientImpl;
import org.apache.james.mime4j.stream.RawField;
import org.msa4james.encoding.EncodingPlan.Edit;
import org.msa4james.encoding.LineReader.Line;
import org.msa4james.encoding.ReencodedPart.Reason;

/**
 * Finds, in one streaming pass over a whole message (header and body, as it would be sent), the text body parts that
 * RFC 6409 8.4 lets a submission server transfer-encode: a text part (Content-Type text/*, or no Content-Type,
 * which means text/plain) declared, or defaulting to, 7bit or 8bit whose body breaks that encoding (a line longer
 * than 998 octets; NUL; CR or LF outside CRLF; in 7bit, octets of 0x80 or more).
 *
 * <p>It follows the MIME structure (multipart/* by their boundaries, message/rfc822 into the embedded message, whose
 * own text parts are the ones re-encoded: RFC 2046 5.2.1 allows no encoding of a message/rfc822 body itself), and
 * leaves alone whatever it does not understand or may not change: parts declared binary, base64, quoted-printable or
 * any other encoding, non-text parts, a part with more than one Content-Type or Content-Transfer-Encoding field or
 * with a Content-Type it cannot parse, a multipart without boundary. Memory does not grow with the message: it holds
 * the current line's first octets, the fields it needs of the current header, and one entry per open multipart.</p>
 *
 * <p>Stateless and thread-safe.</p>
 */
public final class EncodingScanner {
    /** RFC 5322 2.1.1 and RFC 2045 2.7/2.8: at most 998 octets between CRLFs. */
    public static final int MAX_LINE_OCTETS = 998;

    private static final String TEXT_PLAIN = "text/plain";
    private static final String MESSAGE_RFC822 = "message/rfc822";
    private static final String SEVEN_BIT = "7bit";
    private static final String EIGHT_BIT = "8bit";
    private static final String BINARY = "binary";
    private static final String CONTENT_TYPE = "content-type";
    private static final String CONTENT_TRANSFER_ENCODING = "content-transfer-encoding";
    private static final String MIME_VERSION = "mime-version";
    /** A Content-Type or Content-Transfer-Encoding value longer than this is not understood (the part is left alone). */
    private static final int MAX_FIELD_VALUE = 16 * 1024;
    /**
     * Multiparts nested deeper than this are left alone: real messages nest a handful of levels, and the bound keeps
     * the delimiter check of each line cheap whatever the message.
     */
    private static final int MAX_NESTING = 64;

    /**
     * Reads {@code message} to its end (without closing it) and tells what has to be re-encoded.
     */
    public EncodingPlan scan(InputStream message) throws IOException {
        return new Scan(message).run();
    }

    /** The per-message state of one scan. */
    private static final class Scan {
        private final LineReader reader;
        private final Line line = new Line();
        private final List<Frame> frames = new ArrayList<>();
        private final List<ReencodedPart> parts = new ArrayList<>();
        private final List<Edit> edits = new ArrayList<>();
        private Section current;
        private int previousTerminator;

        Scan(InputStream message) {
            this.reader = new LineReader(message);
        }

        EncodingPlan run() throws IOException {
            current = new Header(true, TEXT_PLAIN, "");
            while (reader.next(line)) {
                if (!delimiter()) {
                    current.line(line);
                }
                previousTerminator = line.terminatorLength;
            }
            current.end(reader.offset(), true);
            return EncodingPlan.of(parts, edits);
        }

        /**
         * Handles the line when it is a delimiter of an open multipart: the outermost one wins, and closes every
         * multipart nested in it. The line break before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
         */
        private boolean delimiter() {
            if (frames.isEmpty() || line.prefixLength < 2 || line.prefix[0] != '-' || line.prefix[1] != '-') {
                return false;
            }
            for (int i = 0; i < frames.size(); i++) {
                Frame frame = frames.get(i);
                Delimiter delimiter = frame.match(line);
                if (delimiter != Delimiter.NONE) {
                    current.end(line.start - previousTerminator, false);
                    frames.subList(i + 1, frames.size()).clear();
                    if (delimiter == Delimiter.CLOSE) {
                        frame.closed = true;
                        current = Section.OPAQUE;
                    } else {
                        current = new Header(false, frame.childDefaultType, frame.nextChildSection());
                    }
                    return true;
                }
            }
            return false;
        }

        /** The header of an entity: the message itself, a body part, or a message embedded in a message/rfc822 part. */
        private final class Header implements Section {
            private final boolean message;
            private final String defaultType;
            /** For a body part its section; for a message the prefix of the sections within it. */
            private final String section;
            private final List<Field> contentTypes = new ArrayList<>();
            private final List<Field> transferEncodings = new ArrayList<>();
            private boolean mimeVersion;
            private Field open;

            Header(boolean message, String defaultType, String section) {
                this.message = message;
                this.defaultType = defaultType;
                this.section = section;
            }

            @Override
            public void line(Line line) {
                if (line.isEmpty()) {
                    current = body(line.start, line.end(), line.terminatorLength);
                } else if (open != null && (line.prefix[0] == ' ' || line.prefix[0] == '\t')) {
                    open.fold(line);
                } else {
                    open = field(line);
                }
            }

            private Field field(Line line) {
                String text = line.prefixText(0);
                int colon = text.indexOf(':');
                String name = colon < 0 ? "" : text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                boolean read = name.equals(CONTENT_TYPE) || name.equals(CONTENT_TRANSFER_ENCODING);
                Field field = new Field(line, read, read ? text.substring(colon + 1) : "");
                if (name.equals(CONTENT_TYPE)) {
                    contentTypes.add(field);
                } else if (name.equals(CONTENT_TRANSFER_ENCODING)) {
                    transferEncodings.add(field);
                } else if (name.equals(MIME_VERSION)) {
                    mimeVersion = true;
                }
                return field;
            }

            private Section body(long headerEnd, long bodyStart, int lineBreak) {
                if (contentTypes.size() > 1 || transferEncodings.size() > 1
                    || contentTypes.stream().anyMatch(field -> field.truncated)
                    || transferEncodings.stream().anyMatch(field -> field.truncated)) {
                    return Section.OPAQUE;
                }
                Optional<ContentTypeField> contentType = contentTypes.stream().findFirst()
                    .map(field -> ContentTypeFieldLenientImpl.PARSER.parse(new RawField("Content-Type", field.value()), DecodeMonitor.SILENT));
                Optional<String> mimeType = contentType.isPresent()
                    ? Optional.ofNullable(contentType.get().getMimeType()).map(type -> type.toLowerCase(Locale.ROOT))
                    : Optional.of(defaultType);
                Optional<String> encoding = transferEncodings.stream().findFirst().map(field -> encoding(field.value()));
                String effectiveEncoding = encoding.orElse(SEVEN_BIT);
                boolean identity = effectiveEncoding.equals(SEVEN_BIT) || effectiveEncoding.equals(EIGHT_BIT) || effectiveEncoding.equals(BINARY);
                if (mimeType.isEmpty() || !identity) {
                    return Section.OPAQUE;
                }
                String type = mimeType.get();
                if (type.startsWith("multipart/")) {
                    if (frames.size() >= MAX_NESTING) {
                        return Section.OPAQUE;
                    }
                    String boundary = contentType.map(ContentTypeField::getBoundary).orElse("");
                    if (boundary == null || boundary.isEmpty()) {
                        return Section.OPAQUE;
                    }
                    frames.add(new Frame(boundary, type.equals("multipart/digest") ? MESSAGE_RFC822 : TEXT_PLAIN, section));
                    return Section.OPAQUE;
                }
                if (type.equals(MESSAGE_RFC822)) {
                    return new Header(true, TEXT_PLAIN, leafSection());
                }
                if (type.startsWith("text/") && !effectiveEncoding.equals(BINARY)) {
                    return new TextBody(this, type, encoding, headerEnd, bodyStart, lineBreak);
                }
                return Section.OPAQUE;
            }

            /** The section of this entity's body when it is not a multipart. */
            private String leafSection() {
                return message ? child(section, 1) : section;
            }

            @Override
            public void end(long end, boolean lastLineBreakIncluded) {
                // a header without body: nothing to encode
            }
        }

        /** The body of a text part, checked line by line. */
        private final class TextBody implements Section {
            private final Header header;
            private final String mimeType;
            private final Optional<String> declaredEncoding;
            private final long headerEnd;
            private final long bodyStart;
            private final int headerLineBreak;
            private final Set<Reason> reasons = EnumSet.noneOf(Reason.class);
            private long longestLine;
            /** The terminator of the last line seen: part of this body only if a line follows (or the stream ends). */
            private int pendingTerminator = -1;

            TextBody(Header header, String mimeType, Optional<String> declaredEncoding, long headerEnd, long bodyStart, int headerLineBreak) {
                this.header = header;
                this.mimeType = mimeType;
                this.declaredEncoding = declaredEncoding;
                this.headerEnd = headerEnd;
                this.bodyStart = bodyStart;
                this.headerLineBreak = headerLineBreak;
            }

            @Override
            public void line(Line line) {
                takePendingTerminator();
                longestLine = Math.max(longestLine, line.contentLength);
                if (line.contentLength > MAX_LINE_OCTETS) {
                    reasons.add(Reason.LINE_TOO_LONG);
                }
                if (line.eightBit && declaredEncoding.orElse(SEVEN_BIT).equals(SEVEN_BIT)) {
                    reasons.add(Reason.EIGHT_BIT);
                }
                if (line.nul) {
                    reasons.add(Reason.NUL);
                }
                if (line.bareCr) {
                    reasons.add(Reason.BARE_CR);
                }
                pendingTerminator = line.terminatorLength;
            }

            private void takePendingTerminator() {
                if (pendingTerminator == 1) {
                    reasons.add(Reason.BARE_LF);
                }
                pendingTerminator = -1;
            }

            @Override
            public void end(long end, boolean lastLineBreakIncluded) {
                if (lastLineBreakIncluded) {
                    takePendingTerminator();
                }
                if (reasons.isEmpty()) {
                    return;
                }
                long bodyEnd = Math.max(bodyStart, end);
                String eol = lineBreak(headerLineBreak);
                StringBuilder insertion = new StringBuilder();
                if (header.message && !header.mimeVersion) {
                    insertion.append("MIME-Version: 1.0").append(eol);
                }
                if (header.transferEncodings.isEmpty()) {
                    insertion.append("Content-Transfer-Encoding: quoted-printable").append(eol);
                } else {
                    Field field = header.transferEncodings.get(0);
                    edits.add(Edit.replace(field.start, field.end,
                        ascii("Content-Transfer-Encoding: quoted-printable" + lineBreak(field.lastTerminator))));
                }
                if (insertion.length() > 0) {
                    edits.add(Edit.insert(headerEnd, ascii(insertion.toString())));
                }
                edits.add(Edit.encode(bodyStart, bodyEnd));
                parts.add(new ReencodedPart(header.leafSection(), mimeType, declaredEncoding, reasons, longestLine));
            }
        }

        /** An open multipart: its boundary, and how its parts are named and typed by default. */
        private static final class Frame {
            private final byte[] dashBoundary;
            private final String childDefaultType;
            private final String childPrefix;
            private int children;
            private boolean closed;

            Frame(String boundary, String childDefaultType, String childPrefix) {
                this.dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
                this.childDefaultType = childDefaultType;
                this.childPrefix = childPrefix;
            }

            String nextChildSection() {
                children++;
                return child(childPrefix, children);
            }

            /** "--boundary" or "--boundary--", then only spaces or tabs (RFC 2046 5.1.1 transport padding). */
            Delimiter match(Line line) {
                if (closed || !line.startsWith(dashBoundary)) {
                    return Delimiter.NONE;
                }
                int index = dashBoundary.length;
                Delimiter delimiter = Delimiter.DELIMITER;
                if (index + 1 < line.prefixLength && line.prefix[index] == '-' && line.prefix[index + 1] == '-') {
                    delimiter = Delimiter.CLOSE;
                    index += 2;
                }
                for (; index < line.prefixLength; index++) {
                    if (line.prefix[index] != ' ' && line.prefix[index] != '\t') {
                        return Delimiter.NONE;
                    }
                }
                return line.blankBeyondPrefix ? delimiter : Delimiter.NONE;
            }
        }
    }

    /** A header field, as far as the scan needs it: where it is, and the unfolded value of the fields it reads. */
    private static final class Field {
        private final long start;
        private long end;
        private int lastTerminator;
        private boolean truncated;
        private final Optional<StringBuilder> value;

        Field(Line line, boolean keepValue, String value) {
            this.start = line.start;
            this.end = line.end();
            this.lastTerminator = line.terminatorLength;
            this.truncated = line.isTruncated();
            this.value = keepValue ? Optional.of(new StringBuilder(value)) : Optional.empty();
        }

        /** A continuation line: unfolding removes the line break and keeps the white space (RFC 5322 2.2.3). */
        void fold(Line line) {
            end = line.end();
            lastTerminator = line.terminatorLength;
            truncated |= line.isTruncated();
            value.ifPresent(text -> {
                if (text.length() + line.prefixLength > MAX_FIELD_VALUE) {
                    truncated = true;
                } else {
                    text.append(line.prefixText(0));
                }
            });
        }

        String value() {
            return value.map(StringBuilder::toString).orElse("");
        }
    }

    private enum Delimiter {
        NONE, DELIMITER, CLOSE
    }

    /** Where the lines of the message go. */
    private interface Section {
        /** A part the scan does not look into: a preamble, an epilogue, a non-text or encoded body. */
        Section OPAQUE = new Section() {
            @Override
            public void line(Line line) {
            }

            @Override
            public void end(long end, boolean lastLineBreakIncluded) {
            }
        };

        void line(Line line) throws IOException;

        /**
         * The section ends at {@code end}: at the end of the stream (the last line break is the section's own) or
         * before a delimiter (the line break before it is the delimiter's).
         */
        void end(long end, boolean lastLineBreakIncluded);
    }

    /** The Content-Transfer-Encoding mechanism, lower case, without comment. */
    private static String encoding(String fieldValue) {
        String value = ContentTransferEncodingFieldImpl.PARSER
            .parse(new RawField("Content-Transfer-Encoding", fieldValue), DecodeMonitor.SILENT)
            .getEncoding();
        int comment = value.indexOf('(');
        return (comment < 0 ? value : value.substring(0, comment)).trim().toLowerCase(Locale.ROOT);
    }

    private static String child(String prefix, int number) {
        return prefix.isEmpty() ? Integer.toString(number) : prefix + "." + number;
    }

    private static String lineBreak(int terminatorLength) {
        return terminatorLength == 1 ? "\n" : "\r\n";
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
