package org.msa4james.completion;

import java.util.List;
import java.util.Optional;

import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.field.address.ParseException;
import org.apache.james.mime4j.util.MimeUtil;
import org.msa4james.address.AddressSyntaxException;

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

    /**
     * The addresses (local-part@domain) of the given field values, in order, or empty when one of the values is not a
     * valid address list: the same answer as {@code parse(fieldValues)} mapped to {@link Mailbox#address()}, without
     * decoding display names. msa4james's own address-list parser reads the common cases; a value it refuses, a quoted
     * local part or a domain literal goes to mime4j's parser as {@link #parse} does, so the answer never differs.
     * mime4j's parser allocates about 40 KB per value, the largest cost of the submission chain under load.
     */
    static Optional<List<String>> addresses(List<String> fieldValues) {
        ImmutableList.Builder<String> addresses = ImmutableList.builder();
        for (String value : fieldValues) {
            Optional<List<String>> simple = simpleAddresses(MimeUtil.unfold(value));
            if (simple.isEmpty()) {
                return parse(fieldValues).map(mailboxes -> mailboxes.stream().map(Mailbox::address)
                    .collect(ImmutableList.toImmutableList()));
            }
            addresses.addAll(simple.get());
        }
        return Optional.of(addresses.build());
    }

    private static Optional<List<String>> simpleAddresses(String unfolded) {
        // mime4j refuses raw non-ASCII text where msa4james's parser accepts it (RFC 6532): leave such values to mime4j
        if (!unfolded.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\t')) {
            return Optional.empty();
        }
        org.msa4james.address.AddressList list;
        try {
            list = org.msa4james.address.AddressList.parse(unfolded);
        } catch (AddressSyntaxException | RuntimeException e) {
            return Optional.empty();
        }
        ImmutableList.Builder<String> addresses = ImmutableList.builder();
        for (org.msa4james.address.AddressList.Mailbox mailbox : list.mailboxes()) {
            if (mailbox.localPart().startsWith("\"") || mailbox.domain().startsWith("[") || mailbox.domain().isEmpty()) {
                return Optional.empty();
            }
            addresses.add(mailbox.address());
        }
        return Optional.of(addresses.build());
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
