package org.msa4james.dkim;

import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The DNS TXT record that publishes a DKIM public key (RFC 6376 section 3.6): its owner name
 * {@code <selector>._domainkey.<domain>.} and its value {@code v=DKIM1; k=rsa; p=<base64 SubjectPublicKeyInfo>}.
 *
 * <p>A TXT record is made of character strings of at most 255 octets each (RFC 1035 section 3.3); a verifier joins
 * them without separator (RFC 6376 section 3.6.2.2). The value of a 2048-bit key is longer than that, so
 * {@link #zoneFileLine()} writes it as several quoted strings, in zone file syntax (RFC 1035 section 5.1):</p>
 * <pre>
 * msa._domainkey.example.test. IN TXT ( "v=DKIM1; k=rsa; " "p=MIIBIjANBgkq...(253 characters)" "...rest" )
 * </pre>
 */
public final class DkimDnsRecord {
    /** The longest character string of a TXT record, in octets (the value is ASCII: one octet a character). */
    public static final int MAX_STRING_LENGTH = 255;
    private static final int MAX_NAME_LENGTH = 253;
    private static final String TAGS = "v=DKIM1; k=rsa; ";
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern DOTTED_LABELS = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");

    private final String selector;
    private final String domain;
    private final String publicKeyBase64;

    private DkimDnsRecord(String selector, String domain, String publicKeyBase64) {
        this.selector = selector;
        this.domain = domain;
        this.publicKeyBase64 = publicKeyBase64;
    }

    /**
     * @throws IllegalArgumentException when the selector or the domain is not a valid DNS name, or the record name
     *     would be longer than DNS allows
     */
    public static DkimDnsRecord of(String selector, String domain, RSAPublicKey publicKey) {
        checkSelector(selector);
        checkDomain(domain);
        checkOwnerName(selector, domain);
        return new DkimDnsRecord(selector, domain, Base64.getEncoder().encodeToString(publicKey.getEncoded()));
    }

    /**
     * Checks a signing domain (the DKIM d= tag): letters, digits and hyphens in labels of 1 to 63 characters,
     * separated by dots, at most 253 characters, not an IPv4 address, no trailing dot.
     *
     * @return the domain, unchanged
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String checkDomain(String domain) {
        Objects.requireNonNull(domain, "domain");
        if (!DOTTED_LABELS.matcher(domain).matches() || domain.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("'" + domain + "' is not a domain name (labels of 1 to 63 letters, "
                + "digits or hyphens, not starting or ending with a hyphen, separated by dots, at most "
                + MAX_NAME_LENGTH + " characters, no trailing dot)");
        }
        String lastLabel = domain.substring(domain.lastIndexOf('.') + 1);
        if (ALL_DIGITS.matcher(lastLabel).matches()) {
            throw new IllegalArgumentException("'" + domain + "' is an address, not a domain name");
        }
        return domain;
    }

    /**
     * Checks a selector (the DKIM s= tag, RFC 6376 section 3.1): one or more labels of letters, digits and hyphens,
     * separated by dots.
     *
     * @return the selector, unchanged
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String checkSelector(String selector) {
        Objects.requireNonNull(selector, "selector");
        if (!DOTTED_LABELS.matcher(selector).matches() || selector.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("'" + selector + "' is not a DKIM selector (labels of 1 to 63 letters, "
                + "digits or hyphens, not starting or ending with a hyphen, separated by dots; e.g. msa or msa2026)");
        }
        return selector;
    }

    /**
     * Checks that the record name {@code <selector>._domainkey.<domain>} fits in a DNS name.
     *
     * @throws IllegalArgumentException when it is longer than 253 characters
     */
    public static void checkOwnerName(String selector, String domain) {
        String name = ownerName(selector, domain);
        if (name.length() - 1 > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("the record name '" + name + "' is longer than " + MAX_NAME_LENGTH
                + " characters: choose a shorter selector");
        }
    }

    /** {@code <selector>._domainkey.<domain>.}: fully qualified, with the final dot. */
    public String ownerName() {
        return ownerName(selector, domain);
    }

    /** The value a verifier reads once the strings are joined: {@code v=DKIM1; k=rsa; p=...}. */
    public String value() {
        return TAGS + "p=" + publicKeyBase64;
    }

    /**
     * The character strings of the record, in order: {@code "v=DKIM1; k=rsa; "}, then {@code "p=" + base64} cut
     * into strings of at most {@value #MAX_STRING_LENGTH} characters.
     */
    public List<String> strings() {
        List<String> strings = new ArrayList<>();
        strings.add(TAGS);
        String publicKeyTag = "p=" + publicKeyBase64;
        for (int start = 0; start < publicKeyTag.length(); start += MAX_STRING_LENGTH) {
            strings.add(publicKeyTag.substring(start, Math.min(publicKeyTag.length(), start + MAX_STRING_LENGTH)));
        }
        return List.copyOf(strings);
    }

    /** The record in zone file syntax, on one line without line terminator. */
    public String zoneFileLine() {
        StringBuilder line = new StringBuilder(ownerName()).append(" IN TXT (");
        for (String string : strings()) {
            line.append(" \"").append(string).append('"');
        }
        return line.append(" )").toString();
    }

    public String selector() {
        return selector;
    }

    public String domain() {
        return domain;
    }

    private static String ownerName(String selector, String domain) {
        return selector + "._domainkey." + domain + ".";
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof DkimDnsRecord)) {
            return false;
        }
        DkimDnsRecord that = (DkimDnsRecord) other;
        return selector.equals(that.selector) && domain.equals(that.domain) && publicKeyBase64.equals(that.publicKeyBase64);
    }

    @Override
    public int hashCode() {
        return Objects.hash(selector, domain, publicKeyBase64);
    }

    @Override
    public String toString() {
        return zoneFileLine();
    }
}
