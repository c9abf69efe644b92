package org.msa4james.concealment;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.msa4james.address.AddressList;
import org.msa4james.address.AddressSyntaxException;

import com.google.common.collect.ImmutableMap;

/**
 * The address rewrite map of a site (RFC 6409 section 8.8): which sender addresses and domains are replaced before
 * a submitted message leaves, to hide login names and internal host names.
 *
 * <p>Text format, one rule per line; blank lines and lines starting with {@code #} are ignored, and a {@code #}
 * field after the replacement starts a comment:</p>
 * <pre>
 * jru@corp.example.test        J.Random.User@example.test   # an address: replaced as a whole
 * &#64;squeaky.sales.example.test  &#64;example.test                # a domain: the local part is kept
 * </pre>
 * <p>Addresses are ASCII dot-atoms ({@code local@domain}, no quotes, no comments); domains are host names; the
 * domain of a replacement must be fully qualified. A rule for an address wins over a rule for its domain. Domains
 * and local parts match without regard to case (James's user names are case-insensitive); a quoted local part in a
 * message matches its unquoted form. Each address is rewritten at most once: rules do not chain.</p>
 */
public final class RewriteMap {
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";
    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_ADDRESS = 254;
    private static final RewriteMap EMPTY = new RewriteMap(ImmutableMap.of(), ImmutableMap.of());

    private final ImmutableMap<String, Rule> addressRules;
    private final ImmutableMap<String, Rule> domainRules;

    private RewriteMap(ImmutableMap<String, Rule> addressRules, ImmutableMap<String, Rule> domainRules) {
        this.addressRules = addressRules;
        this.domainRules = domainRules;
    }

    public static RewriteMap empty() {
        return EMPTY;
    }

    /**
     * Parses a map.
     *
     * @param source  the file name, for error messages
     * @param content the file's bytes, UTF-8 (comments may hold any character, rules only ASCII)
     * @throws RewriteMapException naming the source and the first line with an error
     */
    public static RewriteMap parse(String source, byte[] content) throws RewriteMapException {
        Map<String, Rule> addressRules = new LinkedHashMap<>();
        Map<String, Rule> domainRules = new LinkedHashMap<>();
        int lineNumber = 0;
        int start = 0;
        while (start < content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            lineNumber++;
            String line = decode(source, lineNumber, content, start, end);
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            parseLine(source, lineNumber, line, addressRules, domainRules);
            start = end + 1;
        }
        if (addressRules.isEmpty() && domainRules.isEmpty()) {
            return EMPTY;
        }
        return new RewriteMap(ImmutableMap.copyOf(addressRules), ImmutableMap.copyOf(domainRules));
    }

    /** True when the map has no rule: nothing is ever rewritten. */
    public boolean isEmpty() {
        return addressRules.isEmpty() && domainRules.isEmpty();
    }

    /** The number of rules. */
    public int size() {
        return addressRules.size() + domainRules.size();
    }

    /**
     * The replacement of an address (e.g. an envelope sender), when a rule applies to it.
     *
     * @param localPart as written, possibly a quoted string
     * @param domain    as written
     * @return the new address, {@code local@domain}: the rule's address, or for a domain rule the local part as
     *         given with the rule's domain
     */
    public Optional<String> rewriteAddress(String localPart, String domain) {
        return rule(localPart, domain)
            .map(rule -> rule.address.orElseGet(() -> localPart + "@" + rule.domain.orElseThrow()));
    }

    /**
     * An address header value (From, Sender, Reply-To) with the addresses the map names replaced; display names,
     * comments, groups, encoded words and folding are kept exactly. The same text when no rule applies.
     *
     * @throws AddressSyntaxException when the value is not an address list
     */
    public String rewriteAddressList(String headerValue) throws AddressSyntaxException {
        if (isEmpty()) {
            return headerValue;
        }
        AddressList list = AddressList.parse(headerValue);
        return list.rewrite(mailbox -> rule(mailbox.localPart(), mailbox.domain())
            .map(rule -> rule.address.orElseGet(() -> mailbox.withDomain(rule.domain.orElseThrow(), list))));
    }

    private Optional<Rule> rule(String localPart, String domain) {
        String domainKey = domain.toLowerCase(Locale.ROOT);
        Rule addressRule = addressRules.get(localPartKey(localPart) + "@" + domainKey);
        if (addressRule != null) {
            return Optional.of(addressRule);
        }
        return Optional.ofNullable(domainRules.get(domainKey));
    }

    /** A local part as compared: unquoted ("jru" is jru), in lower case. */
    private static String localPartKey(String localPart) {
        String unquoted = localPart;
        if (localPart.length() >= 2 && localPart.startsWith("\"") && localPart.endsWith("\"")) {
            StringBuilder text = new StringBuilder(localPart.length());
            for (int i = 1; i < localPart.length() - 1; i++) {
                char c = localPart.charAt(i);
                if (c == '\\' && i + 1 < localPart.length() - 1) {
                    i++;
                    c = localPart.charAt(i);
                }
                text.append(c);
            }
            unquoted = text.toString();
        }
        return unquoted.toLowerCase(Locale.ROOT);
    }

    private static String decode(String source, int lineNumber, byte[] content, int start, int end) throws RewriteMapException {
        int length = end - start;
        if (length > 0 && content[end - 1] == '\r') {
            length--;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(content, start, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new RewriteMapException(source, OptionalInt.of(lineNumber), "not UTF-8 text");
        }
    }

    private static void parseLine(String source, int lineNumber, String line, Map<String, Rule> addressRules,
                                  Map<String, Rule> domainRules) throws RewriteMapException {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return;
        }
        String[] fields = trimmed.split("[ \\t]+");
        String pattern = fields[0];
        if (fields.length < 2 || fields[1].startsWith("#")) {
            throw error(source, lineNumber, "missing the replacement after '" + pattern + "'");
        }
        String replacement = fields[1];
        if (fields.length > 2 && !fields[2].startsWith("#")) {
            throw error(source, lineNumber, "unexpected '" + fields[2] + "' after the replacement (a comment starts with '#')");
        }
        ascii(source, lineNumber, pattern);
        ascii(source, lineNumber, replacement);

        if (pattern.startsWith("@")) {
            String domain = pattern.substring(1);
            if (!HostNames.isHostName(domain)) {
                throw error(source, lineNumber, "invalid domain '" + domain + "' in '" + pattern + "'");
            }
            if (!replacement.startsWith("@")) {
                throw error(source, lineNumber, "the replacement of a domain must be '@domain', not '" + replacement + "'");
            }
            String newDomain = replacement.substring(1);
            replacementDomain(source, lineNumber, newDomain, replacement);
            add(source, lineNumber, domainRules, pattern, domain.toLowerCase(Locale.ROOT),
                new Rule(lineNumber, Optional.empty(), Optional.of(newDomain)));
            return;
        }

        String[] address = address(source, lineNumber, pattern);
        if (!HostNames.isHostName(address[1])) {
            throw error(source, lineNumber, "invalid domain '" + address[1] + "' in '" + pattern + "'");
        }
        if (replacement.startsWith("@")) {
            throw error(source, lineNumber, "the replacement of an address must be an address, not '" + replacement + "'");
        }
        String[] newAddress = address(source, lineNumber, replacement);
        replacementDomain(source, lineNumber, newAddress[1], replacement);
        add(source, lineNumber, addressRules, pattern,
            address[0].toLowerCase(Locale.ROOT) + "@" + address[1].toLowerCase(Locale.ROOT),
            new Rule(lineNumber, Optional.of(replacement), Optional.empty()));
    }

    private static void add(String source, int lineNumber, Map<String, Rule> rules, String pattern, String key, Rule rule)
        throws RewriteMapException {
        Rule previous = rules.putIfAbsent(key, rule);
        if (previous != null) {
            throw error(source, lineNumber, "duplicate rule for '" + pattern + "' (already on line " + previous.line + ")");
        }
    }

    private static void replacementDomain(String source, int lineNumber, String domain, String replacement) throws RewriteMapException {
        if (!HostNames.isHostName(domain)) {
            throw error(source, lineNumber, "invalid domain '" + domain + "' in '" + replacement + "'");
        }
        if (!HostNames.isFullyQualified(domain)) {
            throw error(source, lineNumber, "the domain '" + domain + "' of the replacement '" + replacement + "' is not fully qualified");
        }
    }

    /** Splits local@domain, checking the local part; the domain is checked by the caller. */
    private static String[] address(String source, int lineNumber, String text) throws RewriteMapException {
        int at = text.indexOf('@');
        if (at <= 0 || at != text.lastIndexOf('@')) {
            throw error(source, lineNumber, "'" + text + "' is neither an address (local@domain) nor a domain (@domain)");
        }
        if (text.length() > MAX_ADDRESS) {
            throw error(source, lineNumber, "'" + text + "' is longer than " + MAX_ADDRESS + " characters");
        }
        String localPart = text.substring(0, at);
        if (!isDotAtom(localPart) || localPart.length() > MAX_LOCAL_PART) {
            throw error(source, lineNumber, "invalid local part '" + localPart + "' in '" + text + "'");
        }
        return new String[] {localPart, text.substring(at + 1)};
    }

    private static void ascii(String source, int lineNumber, String field) throws RewriteMapException {
        if (!field.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw error(source, lineNumber, "'" + field + "' has a character that is not printable ASCII (write addresses in ASCII)");
        }
    }

    private static boolean isDotAtom(String text) {
        if (text.isEmpty() || text.startsWith(".") || text.endsWith(".") || text.contains("..")) {
            return false;
        }
        return text.chars().allMatch(c -> c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
            || ATEXT_SPECIALS.indexOf(c) >= 0);
    }

    private static RewriteMapException error(String source, int lineNumber, String problem) {
        return new RewriteMapException(source, OptionalInt.of(lineNumber), problem);
    }

    @Override
    public String toString() {
        return "RewriteMap{" + addressRules.size() + " address rules, " + domainRules.size() + " domain rules}";
    }

    private static final class Rule {
        private final int line;
        /** For an address rule: the new address. */
        private final Optional<String> address;
        /** For a domain rule: the new domain. */
        private final Optional<String> domain;

        Rule(int line, Optional<String> address, Optional<String> domain) {
            this.line = line;
            this.address = address;
            this.domain = domain;
        }
    }
}
