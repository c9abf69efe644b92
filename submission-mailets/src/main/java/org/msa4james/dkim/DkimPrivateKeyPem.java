package org.msa4james.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An RSA private key as an unencrypted PKCS#8 PEM text ({@code -----BEGIN PRIVATE KEY-----}, RFC 7468 section 10),
 * the form James's {@code DKIMSign} mailet reads (as OpenSSL's {@code openssl genpkey} writes it).
 */
public final class DkimPrivateKeyPem {
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";
    private static final int LINE_LENGTH = 64;
    private static final Pattern PKCS8 = Pattern.compile(
        "-----BEGIN PRIVATE KEY-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END PRIVATE KEY-----");
    private static final Pattern ANY_PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");

    private DkimPrivateKeyPem() {
    }

    /** The PEM text: the header line, the base64 DER in lines of 64 characters, the footer line; LF line ends. */
    public static String encode(RSAPrivateCrtKey privateKey) {
        String base64 = Base64.getMimeEncoder(LINE_LENGTH, new byte[] {'\n'}).encodeToString(privateKey.getEncoded());
        return BEGIN + "\n" + base64 + "\n" + END + "\n";
    }

    /**
     * Reads the first PKCS#8 RSA private key of a PEM text.
     *
     * @throws IllegalArgumentException saying why the text is not an unencrypted PKCS#8 RSA private key
     */
    public static RSAPrivateCrtKey decode(String pem) {
        Matcher pkcs8 = PKCS8.matcher(pem);
        if (!pkcs8.find()) {
            Matcher other = ANY_PEM.matcher(pem);
            if (!other.find()) {
                throw new IllegalArgumentException("it holds no '" + BEGIN + "' block");
            }
            switch (other.group(1)) {
                case "RSA PRIVATE KEY":
                    throw new IllegalArgumentException("it holds a PKCS#1 'RSA PRIVATE KEY'; convert it to PKCS#8 with: "
                        + "openssl pkcs8 -topk8 -nocrypt -in OLD.pem -out NEW.pem");
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException("it holds an encrypted key; write it unencrypted with: "
                        + "openssl pkcs8 -in OLD.pem -out NEW.pem (and keep NEW.pem mode 0600)");
                default:
                    throw new IllegalArgumentException("it holds a PEM '" + other.group(1)
                        + "', not an unencrypted PKCS#8 'PRIVATE KEY'");
            }
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pkcs8.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("its base64 text is damaged: " + e.getMessage(), e);
        }
        try {
            return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("it is not an RSA private key: " + e.getMessage(), e);
        }
    }

    /** The public half of the key (its modulus and public exponent). */
    public static RSAPublicKey publicKeyOf(RSAPrivateCrtKey privateKey) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot build an RSA public key", e);
        }
    }
}
