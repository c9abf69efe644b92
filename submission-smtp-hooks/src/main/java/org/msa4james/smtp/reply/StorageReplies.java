package org.msa4james.smtp.reply;

import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

/** The replies when the server cannot store mail: temporary, so that the client keeps the message and tries again. */
public final class StorageReplies {
    /** RFC 5321 452 (insufficient system storage), RFC 3463 4.3.1 (mail system full). */
    public static final HookResult INSUFFICIENT_STORAGE = denySoft("452",
        "4.3.1 Insufficient system storage: the server cannot store more mail now; try again later");
    /** RFC 5321 451 (local error in processing), RFC 3463 4.3.0 (mail system status, other). */
    public static final HookResult STORAGE_UNAVAILABLE = denySoft("451",
        "4.3.0 Mail system unavailable: the server cannot store mail now; try again later");
    /** The message was received but could not be queued: 451 4.3.0, the client keeps it. */
    public static final HookResult MESSAGE_NOT_QUEUED = denySoft("451",
        "4.3.0 Requested action aborted: the message could not be stored; try again later");

    private StorageReplies() {
    }

    private static HookResult denySoft(String code, String description) {
        return HookResult.builder()
            .hookReturnCode(HookReturnCode.denySoft())
            .smtpReturnCode(code)
            .smtpDescription(description)
            .build();
    }
}
