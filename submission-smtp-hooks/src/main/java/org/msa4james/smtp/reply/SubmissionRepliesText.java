package org.msa4james.smtp.reply;

/** Client-supplied text made safe for one reply or log line (see {@link SubmissionReplies#printable}). */
public final class SubmissionRepliesText {
    private SubmissionRepliesText() {
    }

    public static String printable(String text, int max) {
        return SubmissionReplies.printable(text, max);
    }
}
