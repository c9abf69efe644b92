package org.msa4james.autoconfig;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The e-mail address a client asks settings for ({@code emailaddress=}, Autodiscover's {@code EMailAddress}),
 * checked strictly because it is copied into the answer: a dot-atom local part (RFC 5322 section 3.4.1, ASCII, at
 * most 64 octets), {@code @}, a domain of letters, digits and hyphens (at most 253 octets); no quoted local part, no
 * address literal, no space or markup character ({@code < > " ( ) [ ] \ ,} are not in a dot-atom). The characters of
 * a dot-atom that XML escapes ({@code & '}) are allowed: the documents are written by an XML writer.
 *
 * <p>The reason of a refusal never repeats the input: it is sent to whoever asked.</p>
 */
public final class EmailAddress {
    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_DOMAIN = 253;
    private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final Pattern DOT_ATOM = Pattern.compile(ATEXT + "(?:\\." + ATEXT + ")*");
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern DOMAIN = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final String localPart;
    private final String domain;

    private EmailAddress(String localPart, String domain) {
        this.localPart = localPart;
        this.domain = domain;
    }

    /**
     * @throws IllegalArgumentException saying what is wrong, without the input
     */
    public static EmailAddress parse(String address) {
        if (address == null || address.isEmpty()) {
            throw new IllegalArgumentException("the e-mail address is empty");
        }
        int at = address.lastIndexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("the e-mail address has no @");
        }
        String localPart = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (localPart.length() > MAX_LOCAL_PART || !DOT_ATOM.matcher(localPart).matches()) {
            throw new IllegalArgumentException("the local part of the e-mail address is not 1 to " + MAX_LOCAL_PART
                + " letters, digits and !#$%&'*+/=?^_`{|}~- separated by single dots");
        }
        return new EmailAddress(localPart, checkDomain(domain));
    }

    /**
     * A domain name of letters, digits and hyphens, in lower case.
     *
     * @throws IllegalArgumentException saying what is wrong, without the input
     */
    public static String checkDomain(String domain) {
        if (domain.length() > MAX_DOMAIN || !DOMAIN.matcher(domain).matches()
            || DIGITS.matcher(domain.substring(domain.lastIndexOf('.') + 1)).matches()) {
            throw new IllegalArgumentException("the domain is not a domain name of letters, digits and hyphens");
        }
        return domain.toLowerCase(Locale.ROOT);
    }

    public String localPart() {
        return localPart;
    }

    /** In lower case. */
    public String domain() {
        return domain;
    }

    /** {@code local-part@domain}, the domain in lower case: the user name the documents give. */
    public String asString() {
        return localPart + "@" + domain;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EmailAddress && asString().equals(((EmailAddress) other).asString());
    }

    @Override
    public int hashCode() {
        return asString().hashCode();
    }

    @Override
    public String toString() {
        return asString();
    }
}
