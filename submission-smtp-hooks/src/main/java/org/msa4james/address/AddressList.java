package org.msa4james.address;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import com.google.common.collect.ImmutableList;

/**
 * The value of an address header field (From, Sender, Reply-To, To, Cc, Bcc) parsed as an RFC 5322 section 3.4
 * address list, obsolete syntax of section 4.4 included, with the position of every address in the text.
 *
 * <p>Parsing keeps the text exactly as written, so that {@link #rewrite(Function)} can replace an address and
 * leave every other character — display names, RFC 2047 encoded words, comments, groups, folding — as it was.
 * Non-ASCII characters are accepted where RFC 6532 allows them; whether they are acceptable without SMTPUTF8 is
 * for the caller to decide.</p>
 */
public final class AddressList {
    private final String text;
    private final List<Mailbox> mailboxes;
    private final int groups;

    private AddressList(String text, List<Mailbox> mailboxes, int groups) {
        this.text = text;
        this.mailboxes = ImmutableList.copyOf(mailboxes);
        this.groups = groups;
    }

    /**
     * Parses an address list.
     *
     * @throws AddressSyntaxException with a message that says what is wrong and where
     */
    public static AddressList parse(String headerValue) throws AddressSyntaxException {
        Objects.requireNonNull(headerValue);
        return new Parser(headerValue).addressList();
    }

    /** Every mailbox, in order, those inside groups included. */
    public List<Mailbox> mailboxes() {
        return mailboxes;
    }

    /** How many groups the list holds ("undisclosed-recipients:;" is one group with no mailbox). */
    public int groupCount() {
        return groups;
    }

    /** The text that was parsed. */
    public String text() {
        return text;
    }

    /**
     * The header value with each mailbox's address replaced by what {@code replacement} returns for it (empty:
     * keep that address as written). Only the characters of the replaced addresses change.
     */
    public String rewrite(Function<Mailbox, Optional<String>> replacement) {
        StringBuilder result = new StringBuilder(text.length() + 16);
        boolean replaced = false;
        int copied = 0;
        for (Mailbox mailbox : mailboxes) {
            Optional<String> newAddress = replacement.apply(mailbox);
            if (newAddress.isPresent()) {
                result.append(text, copied, mailbox.addressStart);
                result.append(newAddress.get());
                copied = mailbox.addressEnd;
                replaced = true;
            }
        }
        if (!replaced) {
            return text;
        }
        result.append(text, copied, text.length());
        return result.toString();
    }

    /** One mailbox of the list: an address, with the display name and group it was written with. */
    public static final class Mailbox {
        private final String localPart;
        private final String domain;
        private final Optional<String> displayName;
        private final Optional<String> group;
        private final int addressStart;
        private final int addressEnd;
        private final int domainStart;

        Mailbox(String localPart, String domain, Optional<String> displayName, Optional<String> group,
                int addressStart, int addressEnd, int domainStart) {
            this.localPart = localPart;
            this.domain = domain;
            this.displayName = displayName;
            this.group = group;
            this.addressStart = addressStart;
            this.addressEnd = addressEnd;
            this.domainStart = domainStart;
        }

        /** The local part as written, without comments or folding white space (a quoted string keeps its quotes). */
        public String localPart() {
            return localPart;
        }

        /** The domain as written, without comments or folding white space (a domain literal keeps its brackets). */
        public String domain() {
            return domain;
        }

        /** {@code localPart@domain}. */
        public String address() {
            return localPart + "@" + domain;
        }

        /** The display name as written (encoded words not decoded), when there is one. */
        public Optional<String> displayName() {
            return displayName;
        }

        /** The display name of the group this mailbox belongs to, when it is in a group. */
        public Optional<String> group() {
            return group;
        }

        /**
         * The text of this mailbox's address with only the domain replaced, for {@link AddressList#rewrite}: what
         * sat between the local part and the domain (e.g. the "@" with comments around it) is kept.
         */
        public String withDomain(String newDomain, AddressList in) {
            return in.text.substring(addressStart, domainStart) + newDomain;
        }

        @Override
        public String toString() {
            return displayName.map(name -> name + " ").orElse("") + "<" + address() + ">";
        }
    }

    private static final class Parser {
        private final String text;
        private final List<Mailbox> mailboxes = new ArrayList<>();
        private int groups;
        private int position;

        Parser(String text) {
            this.text = text;
        }

        AddressList addressList() throws AddressSyntaxException {
            boolean sawAddress = false;
            while (true) {
                skipCfws();
                if (atEnd()) {
                    break;
                }
                if (peek() == ',') {
                    // obsolete syntax (RFC 5322 4.4): empty list elements
                    position++;
                    continue;
                }
                address(Optional.empty());
                sawAddress = true;
                skipCfws();
                if (atEnd()) {
                    break;
                }
                expect(',', "',' between addresses");
            }
            if (!sawAddress) {
                throw new AddressSyntaxException("no address", 0);
            }
            return new AddressList(text, mailboxes, groups);
        }

        /** An address: a mailbox (with or without display name) or, outside a group, a group. */
        private void address(Optional<String> group) throws AddressSyntaxException {
            int start = position;
            List<Word> phrase = phrase();
            skipCfws();
            if (atEnd()) {
                throw phraseWithoutAddress(start, phrase);
            }
            char next = peek();
            if (next == '<') {
                angleAddress(displayName(phrase), group);
            } else if (next == ':' && group.isEmpty() && !phrase.isEmpty()) {
                position++;
                groupList(displayName(phrase).orElseThrow());
            } else if (next == '@' && !phrase.isEmpty()) {
                position = start;
                addrSpec(Optional.empty(), group, '\0');
            } else if (next == '.' || next == '@') {
                position = start;
                addrSpec(Optional.empty(), group, '\0');
            } else {
                throw phraseWithoutAddress(start, phrase);
            }
        }

        private AddressSyntaxException phraseWithoutAddress(int start, List<Word> phrase) {
            if (phrase.isEmpty()) {
                return new AddressSyntaxException("unexpected '" + (atEnd() ? "end" : String.valueOf(peek())) + "'", position);
            }
            return new AddressSyntaxException("'" + text.substring(start, position).trim() + "' is not an address", start);
        }

        private Optional<String> displayName(List<Word> phrase) {
            if (phrase.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(text.substring(phrase.get(0).start, phrase.get(phrase.size() - 1).end));
        }

        private void groupList(String groupName) throws AddressSyntaxException {
            groups++;
            while (true) {
                skipCfws();
                if (atEnd()) {
                    throw new AddressSyntaxException("group '" + groupName + "' is not closed with ';'", position);
                }
                char next = peek();
                if (next == ';') {
                    position++;
                    return;
                }
                if (next == ',') {
                    position++;
                    continue;
                }
                address(Optional.of(groupName));
                skipCfws();
                if (!atEnd() && peek() != ';') {
                    expect(',', "',' or ';' in group '" + groupName + "'");
                }
            }
        }

        private void angleAddress(Optional<String> displayName, Optional<String> group) throws AddressSyntaxException {
            int open = position;
            position++;
            skipCfws();
            if (!atEnd() && peek() == '@') {
                obsoleteRoute();
            }
            skipCfws();
            if (!atEnd() && peek() == '>') {
                throw new AddressSyntaxException("empty address '<>'", open);
            }
            addrSpec(displayName, group, '>');
            skipCfws();
            expect('>', "'>' closing the address opened at position " + (open + 1));
        }

        /** obs-route: "@domain,@domain:" before the address; dropped by every modern reader, kept in the text. */
        private void obsoleteRoute() throws AddressSyntaxException {
            while (!atEnd()) {
                skipCfws();
                if (!atEnd() && peek() == ',') {
                    position++;
                } else if (!atEnd() && peek() == '@') {
                    position++;
                    domain();
                } else {
                    break;
                }
            }
            expect(':', "':' after the route");
        }

        private void addrSpec(Optional<String> displayName, Optional<String> group, char terminator) throws AddressSyntaxException {
            skipCfws();
            int addressStart = position;
            String localPart = localPart();
            skipCfws();
            if (atEnd() || peek() != '@') {
                throw new AddressSyntaxException("address '" + localPart + "' has no '@domain'", addressStart);
            }
            position++;
            skipCfws();
            int domainStart = position;
            String domain = domain();
            int addressEnd = position;
            mailboxes.add(new Mailbox(localPart, domain, displayName, group, addressStart, addressEnd, domainStart));
        }

        /** dot-atom, quoted string, or obs-local-part (words joined by dots, with CFWS around them). */
        private String localPart() throws AddressSyntaxException {
            StringBuilder localPart = new StringBuilder();
            while (true) {
                skipCfws();
                Optional<Word> word = word();
                if (word.isEmpty()) {
                    throw new AddressSyntaxException(localPart.length() == 0 ? "missing local part" : "'.' at the end of local part '" + localPart + "'", position);
                }
                localPart.append(text, word.get().start, word.get().end);
                skipCfws();
                if (!atEnd() && peek() == '.') {
                    position++;
                    localPart.append('.');
                    continue;
                }
                return localPart.toString();
            }
        }

        /** dot-atom or domain literal. */
        private String domain() throws AddressSyntaxException {
            skipCfws();
            if (atEnd()) {
                throw new AddressSyntaxException("missing domain", position);
            }
            if (peek() == '[') {
                int start = position;
                position++;
                while (!atEnd() && peek() != ']') {
                    char c = peek();
                    if (c == '[' || c == '\\' && position + 1 >= text.length()) {
                        throw new AddressSyntaxException("invalid domain literal", start);
                    }
                    position += c == '\\' ? 2 : 1;
                }
                if (atEnd()) {
                    throw new AddressSyntaxException("domain literal is not closed with ']'", start);
                }
                position++;
                return text.substring(start, position);
            }
            StringBuilder domain = new StringBuilder();
            while (true) {
                skipCfws();
                int start = position;
                while (!atEnd() && isAtext(peek())) {
                    position++;
                }
                if (start == position) {
                    throw new AddressSyntaxException(domain.length() == 0 ? "missing domain" : "empty label after '" + domain + "' in the domain", position);
                }
                domain.append(text, start, position);
                int afterLabel = position;
                skipCfws();
                if (!atEnd() && peek() == '.') {
                    position++;
                    domain.append('.');
                    continue;
                }
                position = afterLabel;
                return domain.toString();
            }
        }

        /** Words of a display name: atoms, quoted strings and (obsolete) dots. */
        private List<Word> phrase() throws AddressSyntaxException {
            List<Word> words = new ArrayList<>();
            while (true) {
                skipCfws();
                if (atEnd()) {
                    return words;
                }
                if (peek() == '.' && !words.isEmpty()) {
                    words.add(new Word(position, position + 1));
                    position++;
                    continue;
                }
                Optional<Word> word = word();
                if (word.isEmpty()) {
                    return words;
                }
                words.add(word.get());
            }
        }

        private Optional<Word> word() throws AddressSyntaxException {
            if (atEnd()) {
                return Optional.empty();
            }
            int start = position;
            if (peek() == '"') {
                position++;
                while (!atEnd() && peek() != '"') {
                    position += peek() == '\\' ? 2 : 1;
                }
                if (atEnd() || position > text.length()) {
                    throw new AddressSyntaxException("quoted string is not closed", start);
                }
                position++;
                return Optional.of(new Word(start, position));
            }
            while (!atEnd() && isAtext(peek())) {
                position++;
            }
            return start == position ? Optional.empty() : Optional.of(new Word(start, position));
        }

        /** Folding white space and (nested) comments. */
        private void skipCfws() throws AddressSyntaxException {
            while (!atEnd()) {
                char c = peek();
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    position++;
                } else if (c == '(') {
                    comment();
                } else {
                    return;
                }
            }
        }

        private void comment() throws AddressSyntaxException {
            int start = position;
            int depth = 0;
            while (!atEnd()) {
                char c = peek();
                if (c == '\\') {
                    position += 2;
                    continue;
                }
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                    if (depth == 0) {
                        position++;
                        return;
                    }
                }
                position++;
            }
            throw new AddressSyntaxException("comment is not closed with ')'", start);
        }

        private void expect(char expected, String what) throws AddressSyntaxException {
            if (atEnd() || peek() != expected) {
                throw new AddressSyntaxException("expected " + what + (atEnd() ? " at the end" : ", found '" + peek() + "'"), position);
            }
            position++;
        }

        private boolean atEnd() {
            return position >= text.length();
        }

        private char peek() {
            return text.charAt(position);
        }

        /** RFC 5322 atext, plus non-ASCII (RFC 6532 section 3.2). */
        private static boolean isAtext(char c) {
            if (c >= 0x80) {
                return true;
            }
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
                return true;
            }
            return "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
        }
    }

    private static final class Word {
        final int start;
        final int end;

        Word(int start, int end) {
            this.start = start;
            this.end = end;
        }
    }
}
