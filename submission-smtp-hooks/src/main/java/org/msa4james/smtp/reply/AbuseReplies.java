package org.msa4james.smtp.reply;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

/** The replies of the abuse limits (password guessing, sending rates). */
public final class AbuseReplies {
    private static final DateTimeFormatter RESET_TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private AbuseReplies() {
    }

    /** RFC 4954 section 6: 454 4.7.0, temporary authentication failure, while a client address is over its limit. */
    public static Response tooManyAuthFailures(String clientAddress) {
        return new SMTPResponse("454", "4.7.0 Too many failed authentication attempts from " + clientAddress
            + "; try again later");
    }

    /** Repeated failed AUTH in one session: the server closes the connection (RFC 5321 421, end of session). */
    public static Response closingAfterAuthFailures(int failures) {
        SMTPResponse response = new SMTPResponse("421", "4.7.0 Too many failed authentication attempts in this session ("
            + failures + "); closing connection");
        response.setEndSession(true);
        return response;
    }

    /** RFC 3463 4.7.1 (delivery not authorized, temporary): the user's hourly message limit is reached. */
    public static HookResult messageLimitReached(int limit, String user, Instant resetsAt) {
        return denySoft("4.7.1 Sending limit reached: at most " + limit + " messages per hour for " + user
            + "; try again after " + RESET_TIME.format(resetsAt));
    }

    /** RFC 3463 4.7.1: the user's hourly recipient limit is reached. */
    public static HookResult recipientLimitReached(int limit, String user, Instant resetsAt) {
        return denySoft("4.7.1 Sending limit reached: at most " + limit + " recipients per hour for " + user
            + "; try again after " + RESET_TIME.format(resetsAt));
    }

    private static HookResult denySoft(String description) {
        return HookResult.builder()
            .hookReturnCode(HookReturnCode.denySoft())
            .smtpReturnCode("451")
            .smtpDescription(description)
            .build();
    }
}
