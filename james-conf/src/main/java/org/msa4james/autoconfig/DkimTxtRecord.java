package org.msa4james.autoconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.common.collect.ImmutableList;

/**
 * The DKIM public-key record of a domain, read from the line bin/msa4james's key tool writes to
 * {@code conf/dkim/<domain>.dns.txt}: {@code <selector>._domainkey.<domain>. IN TXT ( "v=DKIM1; k=rsa; " "p=..." )}.
 * The line is checked before it is repeated: the owner name must be a selector under {@code _domainkey} of that very
 * domain, and the strings plain ASCII without quote or backslash, the value starting with {@code v=DKIM1}.
 */
public final class DkimTxtRecord {
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern LINE = Pattern.compile(
        "(\\S+)\\s+(?:[0-9]+\\s+)?IN\\s+TXT\\s+(\\(?)\\s*((?:\"[^\"\\\\]*\"\\s*)+)(\\)?)\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern STRING = Pattern.compile("\"([\\x20-\\x7e&&[^\"\\\\]]*)\"");
    private static final Pattern SELECTOR = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");

    private final String ownerName;
    private final List<String> strings;

    private DkimTxtRecord(String ownerName, List<String> strings) {
        this.ownerName = ownerName;
        this.strings = strings;
    }

    /**
     * @param line the record line
     * @param domain the domain it must belong to, in lower case
     * @throws IllegalArgumentException when the line is not such a record
     */
    public static DkimTxtRecord parse(String line, String domain) {
        Matcher matcher = LINE.matcher(line.trim());
        if (!matcher.matches() || matcher.group(2).isEmpty() != matcher.group(4).isEmpty()) {
            throw new IllegalArgumentException("not a TXT record line");
        }
        String owner = matcher.group(1).toLowerCase(Locale.ROOT);
        String suffix = "._domainkey." + domain + ".";
        if (!owner.endsWith(suffix) || !SELECTOR.matcher(owner.substring(0, owner.length() - suffix.length())).matches()) {
            throw new IllegalArgumentException("not a DKIM record of " + domain);
        }
        List<String> strings = new ArrayList<>();
        Matcher string = STRING.matcher(matcher.group(3));
        int end = 0;
        while (string.find()) {
            if (!matcher.group(3).substring(end, string.start()).isBlank()) {
                throw new IllegalArgumentException("not plain quoted strings");
            }
            strings.addAll(DnsZoneFragment.characterStrings(string.group(1)));
            end = string.end();
        }
        if (strings.isEmpty() || !matcher.group(3).substring(end).isBlank() || !String.join("", strings).startsWith("v=DKIM1")) {
            throw new IllegalArgumentException("not a DKIM key record (v=DKIM1) of printable ASCII strings");
        }
        return new DkimTxtRecord(owner, ImmutableList.copyOf(strings));
    }

    /** Absolute, in lower case: {@code <selector>._domainkey.<domain>.} */
    public String ownerName() {
        return ownerName;
    }

    /** The character strings of the record, none longer than {@value DnsZoneFragment#MAX_STRING} octets. */
    public List<String> strings() {
        return strings;
    }
}
