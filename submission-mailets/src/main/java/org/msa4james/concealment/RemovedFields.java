package org.msa4james.concealment;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;

/**
 * The header fields removed from every submission because they leak details of the client, such as
 * {@code X-Originating-IP} (the default), {@code User-Agent} or {@code X-Mailer}. Names are compared without
 * regard to case. Fields a message must have (From, Date: RFC 5322 section 3.6) and trace fields (Received,
 * Return-Path: RFC 5321 section 4.4 forbids deleting them) cannot be listed.
 */
public final class RemovedFields {
    /** The value that removes nothing. */
    public static final String NONE = "none";
    public static final List<String> DEFAULT = ImmutableList.of("X-Originating-IP");

    private static final Set<String> PROTECTED = ImmutableSet.of("from", "date", "received", "return-path");

    private final List<String> names;
    private final Set<String> lowerCaseNames;

    private RemovedFields(List<String> names) {
        this.names = ImmutableList.copyOf(names);
        this.lowerCaseNames = names.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(ImmutableSet.toImmutableSet());
    }

    /**
     * @param names field names as configured: empty for {@link #DEFAULT}, the single name {@value #NONE} for none
     * @throws IllegalArgumentException naming the first name that is not a field name or may not be removed
     */
    public static RemovedFields of(List<String> names) {
        if (names.isEmpty()) {
            return new RemovedFields(DEFAULT);
        }
        if (names.size() == 1 && names.get(0).equalsIgnoreCase(NONE)) {
            return new RemovedFields(ImmutableList.of());
        }
        Set<String> seen = new HashSet<>();
        ImmutableList.Builder<String> result = ImmutableList.builder();
        for (String name : names) {
            if (name.equalsIgnoreCase(NONE)) {
                throw new IllegalArgumentException("'" + NONE + "' must stand alone");
            }
            if (name.isEmpty() || !name.chars().allMatch(c -> c >= 33 && c <= 126 && c != ':')) {
                throw new IllegalArgumentException("'" + name + "' is not a header field name");
            }
            String lowerCase = name.toLowerCase(Locale.ROOT);
            if (PROTECTED.contains(lowerCase)) {
                throw new IllegalArgumentException("'" + name + "' may not be removed"
                    + (lowerCase.equals("from") || lowerCase.equals("date") ? " (every message must have it)" : " (a trace field)"));
            }
            if (seen.add(lowerCase)) {
                result.add(name);
            }
        }
        return new RemovedFields(result.build());
    }

    /** Whether a field of this name is removed (names compared without regard to case). */
    public boolean contains(String name) {
        return lowerCaseNames.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The names, as configured (duplicates dropped). */
    public List<String> names() {
        return names;
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }
}
