package org.msa4james.it;

import java.util.UUID;

/** Small RFC 5322 messages with a unique Subject to find them again. Lines end with CRLF; 7-bit, short lines. */
public final class TestMessages {

    private TestMessages() {
    }

    /** A Subject no other test uses. */
    public static String uniqueSubject(String what) {
        return what + " " + UUID.randomUUID();
    }

    public static String body(String subject) {
        return "Hello,\r\n"
            + "\r\n"
            + "this is the body of '" + subject + "'.\r\n"
            + ".a line that starts with a dot survives dot-stuffing\r\n"
            + "Regards\r\n";
    }

    public static String message(String from, String to, String subject) {
        return "From: " + from + "\r\n"
            + "To: " + to + "\r\n"
            + "Subject: " + subject + "\r\n"
            + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
            + "Message-ID: <" + UUID.randomUUID() + "@example.test>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n"
            + "\r\n"
            + body(subject);
    }
}
