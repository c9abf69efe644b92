package org.msa4james.headercheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.msa4james.address.AddressList;
import org.msa4james.address.AddressSyntaxException;
import org.msa4james.address.DomainQualification;
import org.msa4james.address.DomainQualifier;
import org.msa4james.headercheck.HeaderProblem.Kind;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;

/**
 * The checks RFC 6409 sections 6.3 and 4.2 let a submission server make on a message header, without any James
 * type: the caller hands the header lines, and gets the first problem, or the authors of the message (the
 * mailboxes of From, with their domains qualified) for the entitlement check that needs the user's rights.
 *
 * <p>The checks run in this order, and the first problem found is the one reported:</p>
 * <ol>
 *   <li>structure: exactly one From field, at most one Sender field (RFC 5322 section 3.6);</li>
 *   <li>syntax: every address field (From, Sender, Reply-To, To, Cc, Bcc, then the Resent- ones, in that order)
 *       parses as an RFC 5322 address list; an empty Bcc or Resent-Bcc is valid (section 3.6.3);</li>
 *   <li>authors: From holds at least one mailbox; Sender, when present, exactly one mailbox; several authors need a
 *       Sender (section 3.6.2);</li>
 *   <li>8-bit: no field holds raw 8-bit bytes (the client cannot use SMTPUTF8 with James 3.8.1), in header order;
 *   Received fields are not judged: the one a submission carries is the server's own trace, which copies the
 *   client's EHLO argument, and a client should not be told its message has a bad field it never wrote;</li>
 *   <li>qualification: every domain of every address field is fully qualified or has a configured expansion
 *       (RFC 6409 section 4.2), same rules as the envelope.</li>
 * </ol>
 * Syntax comes first because every later check reads the parsed addresses; the 8-bit check comes before the
 * qualification because a domain with raw 8-bit bytes cannot be judged.
 */
public final class HeaderCheck {
    private static final String RECEIVED = "Received";
    static final String FROM = "From";
    static final String SENDER = "Sender";
    /** The address fields of RFC 5322 sections 3.6.2, 3.6.3 and 3.6.6, in the order their problems are reported. */
    public static final List<String> ADDRESS_FIELDS = ImmutableList.of(
        FROM, SENDER, "Reply-To", "To", "Cc", "Bcc",
        "Resent-From", "Resent-Sender", "Resent-To", "Resent-Cc", "Resent-Bcc");
    private static final Set<String> SINGLE_MAILBOX_FIELDS = ImmutableSet.of(SENDER, "Resent-Sender");
    private static final Set<String> MAY_BE_EMPTY = ImmutableSet.of("Bcc", "Resent-Bcc");

    private final DomainQualifier qualifier;

    public HeaderCheck(DomainQualifier qualifier) {
        this.qualifier = Objects.requireNonNull(qualifier);
    }

    /**
     * Checks a message header.
     *
     * @param fields every header field, in the order of the message
     * @throws RuntimeException what the qualifier's local-domain lookup throws
     */
    public Result check(List<HeaderField> fields) {
        List<HeaderField> from = named(fields, FROM);
        if (from.isEmpty()) {
            return Result.problem(Kind.MISSING, FROM, "");
        }
        if (from.size() > 1) {
            return Result.problem(Kind.REPEATED, FROM, String.valueOf(from.size()));
        }
        List<HeaderField> sender = named(fields, SENDER);
        if (sender.size() > 1) {
            return Result.problem(Kind.REPEATED, SENDER, String.valueOf(sender.size()));
        }

        List<ParsedField> parsed = new ArrayList<>();
        for (String name : ADDRESS_FIELDS) {
            for (HeaderField field : named(fields, name)) {
                if (MAY_BE_EMPTY.contains(name) && isBlank(field.value())) {
                    continue;
                }
                try {
                    parsed.add(new ParsedField(name, AddressList.parse(field.value())));
                } catch (AddressSyntaxException e) {
                    return Result.problem(Kind.INVALID_SYNTAX, name, e.getMessage());
                }
            }
        }

        AddressList authors = addresses(parsed, FROM).get(0);
        if (authors.mailboxes().isEmpty()) {
            return Result.problem(Kind.NO_ADDRESS, FROM, "");
        }
        for (ParsedField field : parsed) {
            if (SINGLE_MAILBOX_FIELDS.contains(field.name)
                    && (field.addresses.mailboxes().size() != 1 || field.addresses.groupCount() != 0)) {
                return Result.problem(Kind.NOT_ONE_MAILBOX, field.name, "");
            }
        }
        if (authors.mailboxes().size() > 1 && sender.isEmpty()) {
            return Result.problem(Kind.SEVERAL_AUTHORS_WITHOUT_SENDER, FROM, "");
        }

        for (HeaderField field : fields) {
            if (field.hasEightBitCharacters() && !field.name().equalsIgnoreCase(RECEIVED)) {
                return Result.problem(Kind.EIGHT_BIT, field.name(), "");
            }
        }

        for (ParsedField field : parsed) {
            for (AddressList.Mailbox mailbox : field.addresses.mailboxes()) {
                if (!qualifier.qualify(mailbox.domain()).isAcceptable()) {
                    return Result.problem(Kind.UNQUALIFIED_DOMAIN, field.name, mailbox.domain());
                }
            }
        }

        List<Author> authorList = new ArrayList<>();
        for (AddressList.Mailbox mailbox : authors.mailboxes()) {
            DomainQualification qualification = qualifier.qualify(mailbox.domain());
            authorList.add(new Author(mailbox.address(), mailbox.localPart() + "@" + qualification.domain()));
        }
        return Result.authors(authorList);
    }

    private static List<HeaderField> named(List<HeaderField> fields, String name) {
        return fields.stream().filter(field -> field.hasName(name)).collect(Collectors.toList());
    }

    private static List<AddressList> addresses(List<ParsedField> parsed, String name) {
        return parsed.stream().filter(field -> field.name.equals(name)).map(field -> field.addresses).collect(Collectors.toList());
    }

    private static boolean isBlank(String value) {
        return value.chars().allMatch(c -> c == ' ' || c == '\t' || c == '\r' || c == '\n');
    }

    private static final class ParsedField {
        final String name;
        final AddressList addresses;

        ParsedField(String name, AddressList addresses) {
            this.name = name;
            this.addresses = addresses;
        }
    }

    /** A mailbox of From: the address as written, and with its domain qualified (expanded when configured). */
    public static final class Author {
        private final String written;
        private final String qualified;

        Author(String written, String qualified) {
            this.written = written;
            this.qualified = qualified;
        }

        /** {@code local-part@domain} as the message has it. */
        public String written() {
            return written;
        }

        /** {@code local-part@domain} with a single-label domain replaced by its configured expansion. */
        public String qualified() {
            return qualified;
        }

        @Override
        public boolean equals(Object o) {
            if (o instanceof Author) {
                Author that = (Author) o;
                return written.equals(that.written) && qualified.equals(that.qualified);
            }
            return false;
        }

        @Override
        public int hashCode() {
            return Objects.hash(written, qualified);
        }

        @Override
        public String toString() {
            return written.equals(qualified) ? written : written + " (" + qualified + ")";
        }
    }

    /** Either the first problem, or the authors of a header that passed every check. */
    public static final class Result {
        private final Optional<HeaderProblem> problem;
        private final List<Author> authors;

        private Result(Optional<HeaderProblem> problem, List<Author> authors) {
            this.problem = problem;
            this.authors = ImmutableList.copyOf(authors);
        }

        static Result problem(Kind kind, String field, String detail) {
            return new Result(Optional.of(new HeaderProblem(kind, field, detail)), List.of());
        }

        static Result authors(List<Author> authors) {
            return new Result(Optional.empty(), authors);
        }

        public Optional<HeaderProblem> problem() {
            return problem;
        }

        /** The mailboxes of From, in order; empty when there is a problem. */
        public List<Author> authors() {
            return authors;
        }

        @Override
        public String toString() {
            return problem.map(HeaderProblem::toString).orElse("authors " + authors);
        }
    }
}
