package org.msa4james.concealment;

import java.util.Optional;

/**
 * Hides the client in the Received field that James writes for a message it accepts (RFC 5321 section 4.4). James
 * 3.8.1 writes, for a submission:
 * <pre>
 * Received: from localhost (EHLO mua.example.test) ([192.0.2.7])
 *           by msa.example.test (JAMES SMTP Server ) with ESMTPA ID 5c72df5d
 *           for &lt;carol@example.com&gt;;
 *           Sat, 28 Nov 2026 19:02:46 +0000 (UTC)
 * </pre>
 * <p>The {@code from} clause (the client's reverse name, the name it gave in EHLO and its IP address) becomes
 * {@code from <clientName>}; the rest ({@code by}, {@code with}, {@code ID}, {@code for}, the date, the folding) is
 * kept character for character, except the {@code by} host when a public name replaces it.</p>
 */
public final class ReceivedTrace {

    private ReceivedTrace() {
    }

    /**
     * @param value      the field's value as James wrote it (folded: CRLF and white space before each line)
     * @param clientName what stands for the client, e.g. {@code msa-client-<token>}
     * @param byHost     the name to write after {@code by} instead of James's, when present
     * @throws ReceivedFormatException when the value has no {@code from} clause followed by a {@code by} clause
     */
    public static String hideClient(String value, String clientName, Optional<String> byHost) throws ReceivedFormatException {
        int fromStart = skipWhiteSpace(value, 0);
        if (!keywordAt(value, fromStart, "from")) {
            throw new ReceivedFormatException("the Received field does not start with a 'from' clause: '" + value + "'");
        }
        int fromEnd = endOfFromClause(value, fromStart + "from".length());
        String hidden = value.substring(0, fromStart) + "from " + clientName + value.substring(fromEnd);
        if (byHost.isEmpty()) {
            return hidden;
        }
        int by = skipWhiteSpace(hidden, fromStart + "from ".length() + clientName.length());
        int hostStart = skipWhiteSpace(hidden, by + "by".length());
        int hostEnd = hostStart;
        while (hostEnd < hidden.length() && !isWhiteSpace(hidden.charAt(hostEnd)) && hidden.charAt(hostEnd) != '('
            && hidden.charAt(hostEnd) != ';') {
            hostEnd++;
        }
        if (hostEnd == hostStart) {
            throw new ReceivedFormatException("the 'by' clause of the Received field names no host: '" + value + "'");
        }
        return hidden.substring(0, hostStart) + byHost.get() + hidden.substring(hostEnd);
    }

    /**
     * Where the from clause ends: before the line break of the first folded line that starts with "by" (James writes
     * the from clause on the first line, and nothing the client sends can hold a line break), or, in an unfolded
     * value, before the first "by" outside comments.
     */
    private static int endOfFromClause(String value, int afterFrom) throws ReceivedFormatException {
        for (int i = value.indexOf('\n', afterFrom); i >= 0; i = value.indexOf('\n', i + 1)) {
            int lineStart = skipWhiteSpace(value, i + 1);
            if (lineStart > i + 1 && keywordAt(value, lineStart, "by")) {
                return i > 0 && value.charAt(i - 1) == '\r' ? i - 1 : i;
            }
        }
        int depth = 0;
        for (int i = afterFrom; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0 && isWhiteSpace(c)) {
                int word = skipWhiteSpace(value, i);
                if (keywordAt(value, word, "by")) {
                    return i;
                }
                i = word - 1;
            }
        }
        throw new ReceivedFormatException("the Received field has no 'by' clause after its 'from' clause: '" + value + "'");
    }

    /** A keyword (case-insensitive) at {@code position}, followed by white space. */
    private static boolean keywordAt(String value, int position, String keyword) {
        int end = position + keyword.length();
        return value.regionMatches(true, position, keyword, 0, keyword.length())
            && end < value.length() && isWhiteSpace(value.charAt(end));
    }

    private static int skipWhiteSpace(String value, int position) {
        int i = position;
        while (i < value.length() && isWhiteSpace(value.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isWhiteSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
