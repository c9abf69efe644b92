package org.msa4james.mailet;

import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import com.google.common.collect.ImmutableList;

/**
 * The header work of the completion mailets, through JavaMail's header-only methods: James's MimeMessageWrapper
 * then loads the header alone and keeps the body's bytes untouched.
 */
final class CompletionHeaderFields {

    private CompletionHeaderFields() {
    }

    /** The raw values of the fields named {@code name}, in order, folding kept. */
    static List<String> values(MimeMessage message, String name) throws MessagingException {
        String[] values = message.getHeader(name);
        return values == null ? ImmutableList.of() : ImmutableList.copyOf(values);
    }

    /**
     * Removes the fields named {@code name} and appends one with {@code value} at the end of the header, below the
     * trace fields, as mail servers add a missing field. (JavaMail's setHeader would write the value into the
     * empty slot it keeps for the field's name above every field read from the message, trace fields included.)
     */
    static void replace(MimeMessage message, String name, String value) throws MessagingException {
        message.removeHeader(name);
        message.addHeaderLine(name + ": " + value);
    }
}
