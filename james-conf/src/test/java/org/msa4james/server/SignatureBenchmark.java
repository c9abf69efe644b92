package org.msa4james.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One signature of the server, as DKIM (SHA256withRSA, RSA-2048) or a TLS handshake with the ECDSA certificate
 * (SHA256withECDSA, P-256) computes it: by the JDK's providers ({@code jdk}) or by BoringSSL through
 * {@link NativeSigning}'s provider ({@code native}). A fresh {@link Signature} each time, as James's DKIMSign and JSSE
 * take one. The setup checks that the signature verifies with the JDK, so a broken signer cannot look fast.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SignatureBenchmark {
    private static final byte[] DATA = ("from:alice@example.test\r\nsubject:benchmark\r\ndkim-signature:v=1; a=rsa-sha256; "
        + "c=relaxed/relaxed; d=example.test; s=msa; h=from:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=")
        .getBytes(StandardCharsets.US_ASCII);

    @Param({"RSA-2048", "EC-P256"})
    public String key;

    @Param({"jdk", "native"})
    public String signer;

    private KeyPair pair;
    private String algorithm;
    private Provider provider;

    @Setup
    public void keyAndSigner() throws GeneralSecurityException {
        if (key.equals("RSA-2048")) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
            algorithm = "SHA256withRSA";
        } else {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
            algorithm = "SHA256withECDSA";
        }
        provider = signer.equals("native")
            ? NativeSigning.nativeProvider().orElseThrow(() -> new IllegalStateException("Conscrypt does not load here"))
            : null;
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(pair.getPublic());
        verifier.update(DATA);
        if (!verifier.verify(sign())) {
            throw new IllegalStateException(signer + " " + algorithm + " does not verify");
        }
    }

    @Benchmark
    public byte[] sign() throws GeneralSecurityException {
        Signature signature = provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
        signature.initSign(pair.getPrivate());
        signature.update(DATA);
        return signature.sign();
    }
}
