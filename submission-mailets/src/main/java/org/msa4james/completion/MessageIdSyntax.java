package org.msa4james.completion;

import java.util.List;
import java.util.Optional;

/**
 * The syntax of a Message-ID field's value: one msg-id of RFC 5322 section 3.6.4,
 * {@code [CFWS] "<" id-left "@" id-right ">" [CFWS]}, where id-left is dot-atom-text and id-right is dot-atom-text or
 * a no-fold-literal ({@code [...]}).
 *
 * <p>Of the obsolete forms of section 4.5.4, quoted strings among the dot-separated words of id-left are accepted
 * ({@code <"x y".z@example.com>}); white space or comments inside the angle brackets are not. Non-ASCII characters
 * count as atext, qtext and dtext, as RFC 6532 allows for messages submitted with SMTPUTF8 (the header checks
 * refuse 8-bit header fields otherwise).</p>
 */
public final class MessageIdSyntax {
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private MessageIdSyntax() {
    }

    public static boolean isValid(String value) {
        return problem(value).isEmpty();
    }

    /** Why {@code value} is not a single valid msg-id, in words for a log line; empty when it is one. */
    public static Optional<String> problem(String value) {
        try {
            new Parser(value).parse();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Why the Message-ID fields of a message, given by their values, must be replaced or added; empty when there
     * is exactly one and it is valid.
     */
    public static Optional<String> problem(List<String> messageIdFieldValues) {
        if (messageIdFieldValues.isEmpty()) {
            return Optional.of("no Message-ID field");
        }
        if (messageIdFieldValues.size() > 1) {
            return Optional.of(messageIdFieldValues.size() + " Message-ID fields");
        }
        return problem(messageIdFieldValues.get(0));
    }

    private static boolean isAtext(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || ATEXT_SPECIALS.indexOf(c) >= 0 || c >= 0x80;
    }

    private static boolean isQtext(char c) {
        return c == 33 || (c >= 35 && c <= 91) || (c >= 93 && c <= 126) || c >= 0x80;
    }

    private static boolean isDtext(char c) {
        return (c >= 33 && c <= 90) || (c >= 94 && c <= 126) || c >= 0x80;
    }

    private static final class Parser {
        private final String text;
        private int position;

        Parser(String text) {
            this.text = text;
        }

        void parse() {
            position = Cfws.skip(text, position);
            if (position == text.length()) {
                throw new IllegalArgumentException("empty");
            }
            if (text.charAt(position) != '<') {
                throw new IllegalArgumentException("no '<' before the id");
            }
            position++;
            idLeft();
            expect('@', "'@' after the left-hand side");
            idRight();
            expect('>', "'>' after the right-hand side");
            position = Cfws.skip(text, position);
            if (position < text.length()) {
                throw new IllegalArgumentException("unexpected text after the id" + where());
            }
        }

        private void idLeft() {
            do {
                if (at('"')) {
                    quotedString();
                } else if (atext() == 0) {
                    throw new IllegalArgumentException("an empty word in the left-hand side" + where());
                }
            } while (skip('.'));
        }

        private void idRight() {
            if (at('[')) {
                position++;
                while (position < text.length() && isDtext(text.charAt(position))) {
                    position++;
                }
                expect(']', "']' closing the domain literal");
                return;
            }
            do {
                if (atext() == 0) {
                    throw new IllegalArgumentException("an empty label in the right-hand side" + where());
                }
            } while (skip('.'));
        }

        private int atext() {
            int start = position;
            while (position < text.length() && isAtext(text.charAt(position))) {
                position++;
            }
            return position - start;
        }

        private void quotedString() {
            position++;
            while (position < text.length()) {
                char c = text.charAt(position);
                if (c == '"') {
                    position++;
                    return;
                }
                if (c == '\\' && position + 1 < text.length()) {
                    position += 2;
                } else if (isQtext(c) || Cfws.isWhiteSpace(c)) {
                    position++;
                } else {
                    throw new IllegalArgumentException("a character not allowed in a quoted string" + where());
                }
            }
            throw new IllegalArgumentException("unterminated quoted string");
        }

        private boolean at(char c) {
            return position < text.length() && text.charAt(position) == c;
        }

        private boolean skip(char c) {
            if (at(c)) {
                position++;
                return true;
            }
            return false;
        }

        private void expect(char c, String what) {
            if (!skip(c)) {
                throw new IllegalArgumentException("expected " + what + where());
            }
        }

        private String where() {
            if (position >= text.length()) {
                return " at the end";
            }
            return " at '" + text.substring(position, Math.min(text.length(), position + 10)).replaceAll("\\p{Cntrl}", " ") + "'";
        }
    }
}
