package org.msa4james.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RSA PKCS #1 v1.5 signatures with SHA-256 ({@code SHA256withRSA}: James's DKIMSign, and the server's signature in an
 * RSA TLS 1.2 handshake) computed by BoringSSL through the bundled Conscrypt instead of the JDK's own arithmetic: an
 * RSA-2048 signature costs about 0.58 ms there against 1.0 ms in the JDK, and DKIM signs every submitted message.
 * The signature bytes are the same (PKCS #1 v1.5 is deterministic).
 *
 * <p>What is installed is a JCA provider of its own, first in the list, that offers one service only: SHA256withRSA
 * <em>signing</em> with an RSA private CRT key. Everything else (verification, other algorithms, TLS itself, key
 * generation) stays with the JDK's providers: Conscrypt is not registered as a provider, it only computes for this one.
 * A key the JDK made is translated once into a BoringSSL key and remembered (by identity, a few keys at most). A key
 * that cannot be translated makes this provider decline, and the JDK's provider signs instead.</p>
 *
 * <p>{@value #PROPERTY} ({@code MSA_RSA_SIGNING}) chooses: {@code native} (the default) uses BoringSSL where its
 * native library loads (Conscrypt ships it for Linux x86-64, macOS and Windows) and checks at start, with a throwaway
 * key, that its signature verifies with the JDK; where it does not load or the check fails, the JDK signs and the log
 * says why. {@code jdk} always leaves signing to the JDK.</p>
 */
public final class NativeRsaSigning {
    private static final Logger LOGGER = LoggerFactory.getLogger(NativeRsaSigning.class);
    public static final String PROPERTY = "msa.rsa.signing";
    static final String ALGORITHM = "SHA256withRSA";
    static final String PROVIDER_NAME = "msa4james-native-rsa";
    /** The number of distinct private keys remembered in their translated form; more are translated at each use. */
    static final int KEYS_REMEMBERED = 8;

    /** The two values of {@value #PROPERTY}. */
    public enum Mode {
        NATIVE, JDK;

        public static Mode parse(String name, String value) {
            switch (value) {
                case "native":
                    return NATIVE;
                case "jdk":
                    return JDK;
                default:
                    throw new IllegalArgumentException(name + " must be native or jdk, not '" + value + "'");
            }
        }
    }

    private NativeRsaSigning() {
    }

    /**
     * Installs the provider as the first one, unless {@code mode} is {@link Mode#JDK}, Conscrypt's native library does
     * not load, or its signature does not verify. Says on the log which signs. Installing twice changes nothing.
     *
     * @return the installed provider, or empty when the JDK signs
     */
    public static synchronized Optional<Provider> install(Mode mode) {
        Provider installed = Security.getProvider(PROVIDER_NAME);
        if (installed != null) {
            return Optional.of(installed);
        }
        if (mode == Mode.JDK) {
            LOGGER.info("RSA signatures (DKIM, RSA TLS 1.2 handshakes) computed by the JDK ({}=jdk)", PROPERTY);
            return Optional.empty();
        }
        Optional<Provider> provider = nativeProvider();
        provider.ifPresent(p -> {
            Security.insertProviderAt(p, 1);
            LOGGER.info("RSA signatures (DKIM, RSA TLS 1.2 handshakes) computed by BoringSSL through Conscrypt {}",
                Conscrypt.version().major() + "." + Conscrypt.version().minor() + "." + Conscrypt.version().patch());
        });
        return provider;
    }

    /** The provider, checked with a throwaway key, without installing it; empty (and logged) when it cannot work here. */
    static Optional<Provider> nativeProvider() {
        Provider conscrypt;
        try {
            Conscrypt.checkAvailability();
            conscrypt = Conscrypt.newProvider();
        } catch (Throwable e) {
            // UnsatisfiedLinkError and the like: no native library for this platform
            LOGGER.warn("RSA signatures computed by the JDK: Conscrypt's native library does not load on {} {} ({}); "
                + "set {}=jdk to say so and silence this warning", System.getProperty("os.name"),
                System.getProperty("os.arch"), rootCause(e), PROPERTY);
            return Optional.empty();
        }
        SigningProvider provider = new SigningProvider(conscrypt);
        try {
            selfCheck(provider);
        } catch (GeneralSecurityException | RuntimeException e) {
            LOGGER.warn("RSA signatures computed by the JDK: BoringSSL's signature did not pass the start check ({})",
                e.toString());
            return Optional.empty();
        }
        return Optional.of(provider);
    }

    /** Signs with a throwaway key made by the JDK, through the provider, and verifies with the JDK. */
    private static void selfCheck(Provider provider) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        KeyPair pair = generator.generateKeyPair();
        byte[] data = "msa4james start check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(ALGORITHM, provider);
        signer.initSign(pair.getPrivate());
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(ALGORITHM);
        verifier.initVerify(pair.getPublic());
        verifier.update(data);
        if (!verifier.verify(signature)) {
            throw new SignatureException("the signature of a throwaway key does not verify with the JDK");
        }
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    /** The provider of one service, SHA256withRSA signing with RSA private CRT keys, computed by Conscrypt. */
    static final class SigningProvider extends Provider {
        private static final long serialVersionUID = 1L;

        private final transient Provider conscrypt;
        private final transient NativeKeys keys;

        SigningProvider(Provider conscrypt) {
            super(PROVIDER_NAME, "1.0", "SHA256withRSA signing by BoringSSL (Conscrypt), for msa4james");
            this.conscrypt = conscrypt;
            this.keys = new NativeKeys(conscrypt);
            putService(new Service(this, "Signature", ALGORITHM, Spi.class.getName(),
                List.of("1.2.840.113549.1.1.11", "OID.1.2.840.113549.1.1.11"),
                // the JDK offers this service only keys of this kind, the others go to the next provider at once
                Map.of("SupportedKeyClasses", RSAPrivateCrtKey.class.getName())) {
                @Override
                public Object newInstance(Object constructorParameter) {
                    return new Spi(SigningProvider.this.conscrypt, SigningProvider.this.keys);
                }
            });
        }
    }

    /** Private keys in their BoringSSL form, remembered by identity: a server signs with the same few key objects. */
    static final class NativeKeys {
        private final Provider conscrypt;
        private final Object lock = new Object();
        private PrivateKey[] sources = new PrivateKey[0];
        private PrivateKey[] translated = new PrivateKey[0];

        NativeKeys(Provider conscrypt) {
            this.conscrypt = conscrypt;
        }

        PrivateKey translate(PrivateKey key) throws InvalidKeyException {
            synchronized (lock) {
                for (int i = 0; i < sources.length; i++) {
                    if (sources[i] == key) {
                        return translated[i];
                    }
                }
            }
            PrivateKey nativeKey;
            try {
                nativeKey = (PrivateKey) KeyFactory.getInstance("RSA", conscrypt).translateKey(key);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new InvalidKeyException("BoringSSL cannot use this RSA key: " + e.getMessage(), e);
            }
            synchronized (lock) {
                if (sources.length < KEYS_REMEMBERED) {
                    sources = append(sources, key);
                    translated = append(translated, nativeKey);
                }
            }
            return nativeKey;
        }

        int remembered() {
            synchronized (lock) {
                return sources.length;
            }
        }

        private static PrivateKey[] append(PrivateKey[] keys, PrivateKey key) {
            PrivateKey[] longer = java.util.Arrays.copyOf(keys, keys.length + 1);
            longer[keys.length] = key;
            return longer;
        }
    }

    /** One signature: the JDK's {@link Signature} calls it, it hands the work to Conscrypt's SHA256withRSA. */
    public static final class Spi extends SignatureSpi {
        private final Provider conscrypt;
        private final NativeKeys keys;
        private Signature delegate;

        Spi(Provider conscrypt, NativeKeys keys) {
            this.conscrypt = conscrypt;
            this.keys = keys;
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            if (!(privateKey instanceof RSAPrivateCrtKey)) {
                throw new InvalidKeyException("only RSA private CRT keys are signed natively, not "
                    + (privateKey == null ? "null" : privateKey.getAlgorithm().toLowerCase(Locale.ROOT) + " keys"));
            }
            PrivateKey nativeKey = keys.translate(privateKey);
            try {
                Signature signature = delegate != null ? delegate : Signature.getInstance(ALGORITHM, conscrypt);
                signature.initSign(nativeKey);
                delegate = signature;
            } catch (GeneralSecurityException e) {
                throw new InvalidKeyException("BoringSSL cannot sign with this RSA key: " + e.getMessage(), e);
            }
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            throw new InvalidKeyException("this provider signs only; the JDK verifies");
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            initialised().update(b);
        }

        @Override
        protected void engineUpdate(byte[] bytes, int offset, int length) throws SignatureException {
            initialised().update(bytes, offset, length);
        }

        @Override
        protected void engineUpdate(ByteBuffer input) {
            try {
                initialised().update(input);
            } catch (SignatureException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            return initialised().sign();
        }

        @Override
        protected boolean engineVerify(byte[] signature) throws SignatureException {
            throw new SignatureException("this provider signs only; the JDK verifies");
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new InvalidParameterException("SHA256withRSA has no parameter " + param);
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new InvalidParameterException("SHA256withRSA has no parameter " + param);
        }

        @Override
        protected AlgorithmParameters engineGetParameters() {
            return null;
        }

        private Signature initialised() throws SignatureException {
            if (delegate == null) {
                throw new SignatureException("not initialised for signing");
            }
            return delegate;
        }
    }
}
