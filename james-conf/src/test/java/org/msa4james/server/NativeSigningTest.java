package org.msa4james.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPrivateKeySpec;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NativeSigningTest {
    private static final byte[] DATA = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test"
        .getBytes(StandardCharsets.US_ASCII);
    private static KeyPair rsa2048;

    @BeforeAll
    static void key() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa2048 = generator.generateKeyPair();
    }

    @AfterEach
    void uninstall() {
        Security.removeProvider(NativeSigning.PROVIDER_NAME);
    }

    @Test
    void theModeIsNativeOrJdkAndAnythingElseNamesTheParameter() {
        assertThat(NativeSigning.Mode.parse("msa.signatures (MSA_SIGNATURES)", "native")).isEqualTo(NativeSigning.Mode.NATIVE);
        assertThat(NativeSigning.Mode.parse("msa.signatures (MSA_SIGNATURES)", "jdk")).isEqualTo(NativeSigning.Mode.JDK);
        assertThatThrownBy(() -> NativeSigning.Mode.parse("msa.signatures (MSA_SIGNATURES)", "Native"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("msa.signatures (MSA_SIGNATURES) must be native or jdk, not 'Native'");
    }

    @Test
    void theSignatureIsTheJdksByteForByte() throws GeneralSecurityException {
        Provider provider = NativeSigning.nativeProvider().orElseThrow();

        byte[] nativeSignature = sign(Signature.getInstance("SHA256withRSA", provider), rsa2048.getPrivate());
        byte[] jdkSignature = sign(Signature.getInstance("SHA256withRSA", "SunRsaSign"), rsa2048.getPrivate());

        assertThat(nativeSignature).hasSize(256).isEqualTo(jdkSignature);
    }

    @Test
    void installedItSignsWithRsaAndEcdsaAndLeavesVerificationAndOtherAlgorithmsToTheJdk() throws GeneralSecurityException {
        Provider installed = NativeSigning.install(NativeSigning.Mode.NATIVE).orElseThrow();
        assertThat(Security.getProviders()[0]).isSameAs(installed);

        Signature signer = Signature.getInstance("SHA256withRSA");
        byte[] signature = sign(signer, rsa2048.getPrivate());
        assertThat(signer.getProvider()).isSameAs(installed);
        Signature verifier = Signature.getInstance("SHA256withRSA");
        assertThat(verify(verifier, rsa2048.getPublic(), signature)).isTrue();
        assertThat(verifier.getProvider().getName()).isEqualTo("SunRsaSign");

        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair p256 = ec.generateKeyPair();
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        byte[] ecdsaSignature = sign(ecdsa, p256.getPrivate());
        assertThat(ecdsa.getProvider()).isSameAs(installed);
        Signature ecdsaVerifier = Signature.getInstance("SHA256withECDSA");
        assertThat(verify(ecdsaVerifier, p256.getPublic(), ecdsaSignature)).isTrue();
        assertThat(ecdsaVerifier.getProvider().getName()).isEqualTo("SunEC");
        assertThat(verify(Signature.getInstance("SHA256withECDSA"), p256.getPublic(), DATA)).isFalse();

        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        pss.initSign(rsa2048.getPrivate());
        assertThat(pss.getProvider().getName()).isEqualTo("SunRsaSign");
    }

    @Test
    void aKeyWithoutCrtFactorsIsSignedByTheJdk() throws GeneralSecurityException {
        Provider installed = NativeSigning.install(NativeSigning.Mode.NATIVE).orElseThrow();
        RSAPrivateCrtKey crt = (RSAPrivateCrtKey) rsa2048.getPrivate();
        PrivateKey plain = KeyFactory.getInstance("RSA", "SunRsaSign")
            .generatePrivate(new RSAPrivateKeySpec(crt.getModulus(), crt.getPrivateExponent()));

        Signature signer = Signature.getInstance("SHA256withRSA");
        byte[] signature = sign(signer, plain);

        assertThat(signer.getProvider()).isNotSameAs(installed);
        assertThat(signature).isEqualTo(sign(Signature.getInstance("SHA256withRSA", "SunRsaSign"), rsa2048.getPrivate()));
    }

    @Test
    void installingTwiceInstallsOnce() {
        Provider first = NativeSigning.install(NativeSigning.Mode.NATIVE).orElseThrow();
        Provider second = NativeSigning.install(NativeSigning.Mode.NATIVE).orElseThrow();

        assertThat(second).isSameAs(first);
        assertThat(List.of(Security.getProviders())).filteredOn(p -> p.getName().equals(NativeSigning.PROVIDER_NAME)).hasSize(1);
    }

    @Test
    void jdkModeInstallsNothing() {
        assertThat(NativeSigning.install(NativeSigning.Mode.JDK)).isEmpty();
        assertThat(Security.getProvider(NativeSigning.PROVIDER_NAME)).isNull();
    }

    @Test
    void aKeyIsTranslatedOnceAndOnlyAFewAreRemembered() throws GeneralSecurityException {
        Provider conscrypt = org.conscrypt.Conscrypt.newProvider();
        NativeSigning.NativeKeys keys = new NativeSigning.NativeKeys(conscrypt);

        PrivateKey once = keys.translate(rsa2048.getPrivate());
        assertThat(keys.translate(rsa2048.getPrivate())).isSameAs(once);
        assertThat(keys.remembered()).isEqualTo(1);

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        List<PrivateKey> more = new ArrayList<>();
        for (int i = 0; i < NativeSigning.KEYS_REMEMBERED + 2; i++) {
            more.add(generator.generateKeyPair().getPrivate());
        }
        for (PrivateKey key : more) {
            assertThat(keys.translate(key)).isNotNull();
        }
        assertThat(keys.remembered()).isEqualTo(NativeSigning.KEYS_REMEMBERED);
    }

    @Test
    void aKeyBoringSslRejectsIsAnInvalidKey() {
        Provider provider = NativeSigning.nativeProvider().orElseThrow();

        assertThatThrownBy(() -> Signature.getInstance("SHA256withRSA", provider).initSign(new BrokenKey()))
            .isInstanceOf(InvalidKeyException.class)
            .hasMessageStartingWith("BoringSSL cannot");
    }

    private static boolean verify(Signature verifier, PublicKey key, byte[] signature) throws GeneralSecurityException {
        verifier.initVerify(key);
        verifier.update(DATA);
        try {
            return verifier.verify(signature);
        } catch (java.security.SignatureException e) {
            // not even a DER-encoded signature
            return false;
        }
    }

    private static byte[] sign(Signature signature, PrivateKey key) throws GeneralSecurityException {
        signature.initSign(key);
        signature.update(DATA);
        return signature.sign();
    }

    /** An RSA CRT key without numbers. */
    private static final class BrokenKey implements RSAPrivateCrtKey {
        private static final long serialVersionUID = 1L;

        @Override
        public BigInteger getPublicExponent() {
            return null;
        }

        @Override
        public BigInteger getPrimeP() {
            return null;
        }

        @Override
        public BigInteger getPrimeQ() {
            return null;
        }

        @Override
        public BigInteger getPrimeExponentP() {
            return null;
        }

        @Override
        public BigInteger getPrimeExponentQ() {
            return null;
        }

        @Override
        public BigInteger getCrtCoefficient() {
            return null;
        }

        @Override
        public BigInteger getPrivateExponent() {
            return null;
        }

        @Override
        public String getAlgorithm() {
            return "RSA";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }

        @Override
        public BigInteger getModulus() {
            return null;
        }
    }
}
