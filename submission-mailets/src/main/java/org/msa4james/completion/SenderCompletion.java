package org.msa4james.completion;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * RFC 6409 section 8.1: when the authenticated user is not an author of the message, that is, no From address is
 * one the user may send as, the Sender field names the user: it is added, or replaces the Sender fields there
 * are. The value is the user's bare address (James users have no display name). A From field that cannot be
 * parsed has no author. When the user is an author, nothing changes (a Sender the client wrote stays).
 */
public final class SenderCompletion {
    private final Predicate<String> userMaySendAs;

    /**
     * @param userMaySendAs whether the authenticated user may send as a From address (own address, alias),
     *                      given as local-part@domain
     */
    public SenderCompletion(Predicate<String> userMaySendAs) {
        this.userMaySendAs = userMaySendAs;
    }

    /**
     * The value the Sender field must get, or empty when the fields are to be kept as they are: when the user is
     * an author in From, or when the only Sender field already names the user's address.
     *
     * @param userAddress the authenticated user's address, local-part@domain
     */
    public Optional<String> sender(String userAddress, List<String> fromFieldValues, List<String> senderFieldValues) {
        boolean userIsAnAuthor = Mailboxes.addresses(fromFieldValues)
            .map(authors -> authors.stream().anyMatch(userMaySendAs))
            .orElse(false);
        if (userIsAnAuthor || namesOnly(senderFieldValues, userAddress)) {
            return Optional.empty();
        }
        return Optional.of(userAddress);
    }

    private static boolean namesOnly(List<String> senderFieldValues, String userAddress) {
        if (senderFieldValues.size() != 1) {
            return false;
        }
        return Mailboxes.parseMailbox(senderFieldValues.get(0))
            .map(mailbox -> sameAddress(mailbox.address(), userAddress))
            .orElse(false);
    }

    private static boolean sameAddress(String address, String userAddress) {
        return address.toLowerCase(Locale.ROOT).equals(userAddress.toLowerCase(Locale.ROOT));
    }
}
