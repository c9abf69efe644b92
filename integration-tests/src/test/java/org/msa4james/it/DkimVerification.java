package org.msa4james.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.PermFailException;

/**
 * Verifies DKIM signatures with James's jdkim verifier, the public key coming from a DNS record as DkimKeyTool writes
 * it ({@code <selector>._domainkey.<domain>. IN TXT ( "v=DKIM1; k=rsa; " "p=..." ... )}) instead of the DNS.
 */
public final class DkimVerification {
    /** The record of the test key {@code dkim/example.test.pem} on the test class path (generated with DkimKeyTool). */
    public static final String TEST_KEY_RECORD_RESOURCE = "dkim/example.test.dns.txt";
    private static final Pattern QUOTED_STRING = Pattern.compile("\"([^\"]*)\"");

    private DkimVerification() {
    }

    /** The TXT value a resolver would return for a zone file line: its quoted strings joined. */
    public static String recordValue(String zoneFileLine) {
        Matcher strings = QUOTED_STRING.matcher(zoneFileLine);
        StringBuilder value = new StringBuilder();
        while (strings.find()) {
            value.append(strings.group(1));
        }
        if (value.length() == 0) {
            throw new IllegalArgumentException("no quoted string in " + zoneFileLine);
        }
        return value.toString();
    }

    public static String recordValue(Path recordFile) {
        try {
            return recordValue(Files.readString(recordFile, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The TXT value of the test key's record. */
    public static String testKeyRecordValue() {
        try (InputStream in = DkimVerification.class.getClassLoader().getResourceAsStream(TEST_KEY_RECORD_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(TEST_KEY_RECORD_RESOURCE + " is not on the test class path");
            }
            return recordValue(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Verifies every DKIM-Signature of the message against the one published record {@code selector._domainkey.domain}.
     *
     * @return the signatures that verify
     * @throws AssertionError when none does, with jdkim's reason
     */
    public static List<SignatureRecord> verify(byte[] message, String selector, String domain, String recordValue) {
        PublicKeyRecordRetriever dns = (method, querySelector, queryDomain) -> {
            if (!"dns/txt".equals(method.toString())) {
                throw new PermFailException("unsupported lookup method " + method);
            }
            if (!querySelector.toString().equals(selector) || !queryDomain.toString().toLowerCase(Locale.ROOT).equals(domain)) {
                throw new PermFailException("no DNS record " + querySelector + "._domainkey." + queryDomain
                    + " (only " + selector + "._domainkey." + domain + " is published)");
            }
            return List.of(recordValue);
        };
        try {
            List<SignatureRecord> verified = new DKIMVerifier(dns).verify(new ByteArrayInputStream(message));
            if (verified == null) {
                throw new AssertionError("the message has no DKIM-Signature:\n" + new String(message, StandardCharsets.UTF_8));
            }
            return verified;
        } catch (FailException e) {
            throw new AssertionError("the DKIM signature does not verify: " + e.getMessage()
                + "\n---- message ----\n" + new String(message, StandardCharsets.UTF_8), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
