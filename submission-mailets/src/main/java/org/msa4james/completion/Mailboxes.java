package org.msa4james.completion;

import java.util.List;
import java.util.Optional;

import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.field.address.ParseException;
import org.apache.james.mime4j.util.MimeUtil;

import com.google.common.collect.ImmutableList;

/**
 * Reads the mailboxes of address header fields (From, Sender) with mime4j's strict RFC 5322 parser: groups give
 * their members, display names have their RFC 2047 encoded words decoded.
 */
final class Mailboxes {

    private Mailboxes() {
    }

    /**
     * The mailboxes of the given field values, in order, or empty when one of the values is not a valid address
     * list (an empty group is valid and has no mailbox).
     */
    static Optional<List<Mailbox>> parse(List<String> fieldValues) {
        ImmutableList.Builder<Mailbox> mailboxes = ImmutableList.builder();
        for (String value : fieldValues) {
            AddressList addresses;
            try {
                addresses = DefaultAddressParser.DEFAULT.parseAddressList(MimeUtil.unfold(value));
            } catch (ParseException | IllegalArgumentException e) {
                return Optional.empty();
            }
            for (org.apache.james.mime4j.dom.address.Mailbox mailbox : addresses.flatten()) {
                mailboxes.add(of(mailbox));
            }
        }
        return Optional.of(mailboxes.build());
    }

    /** The mailbox of a field value that must be a single mailbox (Sender), empty when it is not one. */
    static Optional<Mailbox> parseMailbox(String fieldValue) {
        try {
            return Optional.of(of(DefaultAddressParser.DEFAULT.parseMailbox(MimeUtil.unfold(fieldValue))));
        } catch (ParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Mailbox of(org.apache.james.mime4j.dom.address.Mailbox mailbox) {
        return new Mailbox(
            Optional.ofNullable(mailbox.getName()).filter(name -> !name.isEmpty()),
            mailbox.getLocalPart(),
            Optional.ofNullable(mailbox.getDomain()).filter(domain -> !domain.isEmpty()));
    }
}
