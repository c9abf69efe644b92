package org.msa4james.address;

import java.net.IDN;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.google.common.base.Splitter;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;

/**
 * Decides whether a domain is fully qualified, as RFC 6409 section 4.2 asks of a submission server.
 *
 * <p>A domain is fully qualified when it is a local domain, an address literal, or a name whose last
 * label is a known top-level domain (the ICANN part of the public suffix list, plus site additions).
 * A single label ("sales") is expanded only by a configured local convention ("sales.example.test");
 * an incomplete name of several labels ("squeaky.sales") is refused, never expanded.</p>
 */
public final class DomainQualifier {
    private static final String IPV6_TAG = "IPv6:";
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private final Map<String, String> expansions;
    private final Set<String> additionalTopLevelDomains;
    private final Predicate<String> isLocalDomain;
    /**
     * Answers of the public suffix list per last label: the lookup (IDN conversion, Guava's suffix tables) costs more
     * than the rest of the check, and a site sees few distinct labels. Bounded, since clients choose the labels.
     */
    private final Cache<String, Boolean> topLevelDomains = CacheBuilder.newBuilder().maximumSize(4096).build();

    /**
     * @param expansions single label (lower case) to the fully qualified domain that replaces it
     * @param additionalTopLevelDomains site-specific top-level labels accepted as qualified (lower case)
     * @param isLocalDomain tells whether a domain is one this server serves
     */
    public DomainQualifier(Map<String, String> expansions, Set<String> additionalTopLevelDomains, Predicate<String> isLocalDomain) {
        this.expansions = ImmutableMap.copyOf(expansions);
        this.additionalTopLevelDomains = ImmutableSet.copyOf(additionalTopLevelDomains);
        this.isLocalDomain = Objects.requireNonNull(isLocalDomain);
    }

    public DomainQualification qualify(String domain) {
        Objects.requireNonNull(domain);
        if (isAddressLiteral(domain)) {
            return DomainQualification.qualified(domain);
        }
        if (isLocalDomain.test(domain)) {
            return DomainQualification.qualified(domain);
        }
        String name = withoutRootDot(domain).toLowerCase(Locale.ROOT);
        int lastDot = name.lastIndexOf('.');
        if (lastDot < 0) {
            String expansion = expansions.get(name);
            if (expansion != null) {
                return DomainQualification.expanded(expansion);
            }
            return DomainQualification.unqualified(domain);
        }
        if (isTopLevelDomain(name.substring(lastDot + 1))) {
            return DomainQualification.qualified(domain);
        }
        return DomainQualification.incomplete(domain);
    }

    /**
     * An address literal: "[192.0.2.1]" or "[IPv6:2001:db8::1]" as written, or the bare address James's
     * MailAddress leaves of it once parsed ("192.0.2.1", "IPv6:2001:db8::1").
     */
    private static boolean isAddressLiteral(String domain) {
        return domain.startsWith("[")
            || domain.regionMatches(true, 0, IPV6_TAG, 0, IPV6_TAG.length())
            || InetAddresses.isInetAddress(domain);
    }

    private boolean isTopLevelDomain(String label) {
        if (label.isEmpty()) {
            return false;
        }
        if (additionalTopLevelDomains.contains(label)) {
            return true;
        }
        Boolean known = topLevelDomains.getIfPresent(label);
        if (known == null) {
            known = isRegistrySuffix(label);
            topLevelDomains.put(label, known);
        }
        return known;
    }

    private static boolean isRegistrySuffix(String label) {
        try {
            String ascii = IDN.toASCII(label, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            return InternetDomainName.isValid(ascii) && InternetDomainName.from(ascii).isRegistrySuffix();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String withoutRootDot(String domain) {
        if (domain.endsWith(".") && domain.length() > 1) {
            return domain.substring(0, domain.length() - 1);
        }
        return domain;
    }

    /**
     * Parses expansions written as {@code label=domain} pairs separated by commas or white space,
     * e.g. {@code "sales=sales.example.test, eng=eng.example.test"}. Blank means none.
     *
     * @throws IllegalArgumentException naming the offending entry
     */
    public static Map<String, String> parseExpansions(String specification) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String entry : splitList(specification)) {
            int equals = entry.indexOf('=');
            if (equals <= 0 || equals == entry.length() - 1) {
                throw new IllegalArgumentException("'" + entry + "' is not of the form label=domain");
            }
            String label = entry.substring(0, equals).trim().toLowerCase(Locale.ROOT);
            String domain = entry.substring(equals + 1).trim().toLowerCase(Locale.ROOT);
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("'" + label + "' in '" + entry + "' is not a single domain label");
            }
            if (!domain.contains(".") || !isHostName(domain)) {
                throw new IllegalArgumentException("'" + domain + "' in '" + entry + "' is not a domain name of several labels");
            }
            if (result.putIfAbsent(label, domain) != null) {
                throw new IllegalArgumentException("label '" + label + "' is expanded twice");
            }
        }
        return ImmutableMap.copyOf(result);
    }

    private static boolean isHostName(String domain) {
        return domain.length() <= 253
            && Splitter.on('.').splitToStream(domain).allMatch(label -> LABEL.matcher(label).matches());
    }

    /**
     * Parses a list of top-level labels separated by commas or white space. Blank means none.
     *
     * @throws IllegalArgumentException naming the offending entry
     */
    public static Set<String> parseTopLevelDomains(String specification) {
        ImmutableSet.Builder<String> result = ImmutableSet.builder();
        for (String entry : splitList(specification)) {
            String label = entry.toLowerCase(Locale.ROOT);
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("'" + entry + "' is not a single domain label");
            }
            result.add(label);
        }
        return result.build();
    }

    static List<String> splitList(String specification) {
        if (specification == null) {
            return List.of();
        }
        return Splitter.onPattern("[,\\s]+").trimResults().omitEmptyStrings().splitToList(specification);
    }
}
