package org.msa4james.completion;

/**
 * CFWS of RFC 5322 section 3.2.2: spaces, tabs, folded line breaks (CRLF, or LF as JavaMail may keep it, followed by
 * a space or tab) and comments, which nest and may hold quoted pairs.
 */
final class Cfws {

    private Cfws() {
    }

    /**
     * The position after the CFWS that starts at {@code position} ({@code position} itself when there is none).
     *
     * @throws IllegalArgumentException for an unterminated comment or a line break that is not folding
     */
    static int skip(String text, int position) {
        int current = position;
        while (current < text.length()) {
            int afterWhiteSpace = skipFoldingWhiteSpace(text, current);
            if (afterWhiteSpace > current) {
                current = afterWhiteSpace;
            } else if (text.charAt(current) == '(') {
                current = skipComment(text, current);
            } else {
                break;
            }
        }
        return current;
    }

    static boolean isWhiteSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static int skipFoldingWhiteSpace(String text, int position) {
        char c = text.charAt(position);
        if (isWhiteSpace(c)) {
            return position + 1;
        }
        if (c == '\r' || c == '\n') {
            int next = c == '\r' && position + 1 < text.length() && text.charAt(position + 1) == '\n' ? position + 2 : position + 1;
            if (next < text.length() && isWhiteSpace(text.charAt(next))) {
                return next + 1;
            }
            throw new IllegalArgumentException("a line break that is not folding white space");
        }
        return position;
    }

    private static int skipComment(String text, int position) {
        int depth = 0;
        int current = position;
        while (current < text.length()) {
            char c = text.charAt(current);
            if (c == '(') {
                depth++;
                current++;
            } else if (c == ')') {
                depth--;
                current++;
                if (depth == 0) {
                    return current;
                }
            } else if (c == '\\') {
                current += 2;
            } else {
                int afterWhiteSpace = skipFoldingWhiteSpace(text, current);
                current = afterWhiteSpace > current ? afterWhiteSpace : current + 1;
            }
        }
        throw new IllegalArgumentException("unterminated comment");
    }
}
