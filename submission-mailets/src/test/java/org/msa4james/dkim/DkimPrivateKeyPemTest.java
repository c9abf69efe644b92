package org.msa4james.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DkimPrivateKeyPemTest {
    private static KeyPair rsa;

    @BeforeAll
    static void generateKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        rsa = generator.generateKeyPair();
    }

    @Nested
    class Encode {
        @Test
        void encodeShouldWritePkcs8DerInBase64LinesOf64Characters() {
            String pem = DkimPrivateKeyPem.encode((RSAPrivateCrtKey) rsa.getPrivate());
            List<String> lines = pem.lines().collect(Collectors.toList());
            String base64 = Base64.getEncoder().encodeToString(rsa.getPrivate().getEncoded());

            assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("\n-----END PRIVATE KEY-----\n");
            assertThat(String.join("", lines.subList(1, lines.size() - 1))).isEqualTo(base64);
            assertThat(lines.subList(1, lines.size() - 2)).allSatisfy(line -> assertThat(line).hasSize(64));
            assertThat(lines.get(lines.size() - 2).length()).isBetween(1, 64);
            assertThat(pem).doesNotContain("\r");
        }

        @Test
        void encodedKeyShouldParseBackWithTheJdk() throws Exception {
            String pem = DkimPrivateKeyPem.encode((RSAPrivateCrtKey) rsa.getPrivate());
            String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replace("\n", "");

            RSAPrivateCrtKey parsed = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));

            assertThat(parsed).isEqualTo(rsa.getPrivate());
        }
    }

    @Nested
    class Decode {
        @Test
        void decodeShouldReadWhatEncodeWrote() {
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.getPrivate();

            assertThat(DkimPrivateKeyPem.decode(DkimPrivateKeyPem.encode(key))).isEqualTo(key);
        }

        @Test
        void decodeShouldAcceptCrlfLinesAndTextAroundTheBlock() {
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.getPrivate();
            String pem = "Key of example.test\r\n" + DkimPrivateKeyPem.encode(key).replace("\n", "\r\n") + "trailing text\r\n";

            assertThat(DkimPrivateKeyPem.decode(pem)).isEqualTo(key);
        }

        @Test
        void decodeShouldRejectAPkcs1KeyWithTheConversionCommand() {
            String pkcs1 = "-----BEGIN RSA PRIVATE KEY-----\nMIICXAIBAAKBgQDYDaYKXzwVYwqWbLhmuJ66aTAN8w==\n-----END RSA PRIVATE KEY-----\n";

            assertThatThrownBy(() -> DkimPrivateKeyPem.decode(pkcs1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("it holds a PKCS#1 'RSA PRIVATE KEY'; convert it to PKCS#8 with: "
                    + "openssl pkcs8 -topk8 -nocrypt -in OLD.pem -out NEW.pem");
        }

        @Test
        void decodeShouldRejectAnEncryptedKey() {
            String encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n";

            assertThatThrownBy(() -> DkimPrivateKeyPem.decode(encrypted))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("it holds an encrypted key; write it unencrypted with: openssl pkcs8 -in OLD.pem -out NEW.pem "
                    + "(and keep NEW.pem mode 0600)");
        }

        @Test
        void decodeShouldRejectAPublicKey() {
            String publicKey = "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(rsa.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";

            assertThatThrownBy(() -> DkimPrivateKeyPem.decode(publicKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("it holds a PEM 'PUBLIC KEY', not an unencrypted PKCS#8 'PRIVATE KEY'");
        }

        @Test
        void decodeShouldRejectTextWithoutPemBlock() {
            assertThatThrownBy(() -> DkimPrivateKeyPem.decode("v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("it holds no '-----BEGIN PRIVATE KEY-----' block");
        }

        @Test
        void decodeShouldRejectATruncatedKey() {
            byte[] der = rsa.getPrivate().getEncoded();
            String truncated = "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(Arrays.copyOf(der, 120))
                + "\n-----END PRIVATE KEY-----\n";

            assertThatThrownBy(() -> DkimPrivateKeyPem.decode(truncated))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("it is not an RSA private key: ");
        }

        @Test
        void decodeShouldRejectDamagedBase64() {
            assertThatThrownBy(() -> DkimPrivateKeyPem.decode("-----BEGIN PRIVATE KEY-----\nMIIE=x\n-----END PRIVATE KEY-----\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("its base64 text is damaged: ");
        }

        @Test
        void decodeShouldRejectAnEllipticCurveKey() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";

            assertThatThrownBy(() -> DkimPrivateKeyPem.decode(pem))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("it is not an RSA private key: ");
        }
    }

    @Test
    void publicKeyOfShouldBeThePublicHalfOfThePair() {
        RSAPublicKey derived = DkimPrivateKeyPem.publicKeyOf((RSAPrivateCrtKey) rsa.getPrivate());

        assertThat(derived.getEncoded()).isEqualTo(rsa.getPublic().getEncoded());
    }
}
