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
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own signatures computed by BoringSSL through the bundled Conscrypt instead of the JDK's Java arithmetic:
 * DKIM's RSA-2048 signature of every submitted message (about 0.58 ms against 1.0 ms in the JDK) and the ECDSA P-256
 * (or RSA) signature of every TLS handshake (ECDSA P-256 in the JDK was a quarter of the server's Java CPU when every
 * message came on a new connection). An RSA PKCS #1 v1.5 signature is the same byte for byte; an ECDSA one is random by
 * nature, and verifies the same.
 *
 * <p>What is installed is a JCA provider of its own, first in the list, that offers <em>signing</em> only:
 * SHA-256/384/512 with RSA (PKCS #1 v1.5) with an RSA private CRT key, and with ECDSA with an EC private key.
 * Everything else (verification, other algorithms, TLS itself, key agreement, key generation) stays with the JDK's
 * providers: Conscrypt is not registered as a provider, it only computes for this one. A key the JDK made is translated
 * once into a BoringSSL key and remembered (by identity, a few keys at most). A key that cannot be translated makes
 * this provider decline, and the JDK's provider signs instead.</p>
 *
 * <p>{@value #PROPERTY} ({@code MSA_SIGNATURES}) chooses: {@code native} (the default) uses BoringSSL where its native
 * library loads (Conscrypt ships it for Linux x86-64, macOS and Windows) and checks at start, with throwaway keys, that
 * its signatures verify with the JDK; where it does not load or the check fails, the JDK signs and the log says why.
 * {@code jdk} always leaves signing to the JDK.</p>
 */
public final class NativeSigning {
    private static final Logger LOGGER = LoggerFactory.getLogger(NativeSigning.class);
    public static final String PROPERTY = "msa.signatures";
    static final String PROVIDER_NAME = "msa4james-native-signatures";
    /** What the log lines are about. */
    static final String WHAT = "the server's signatures (DKIM's RSA, the TLS handshake's ECDSA or RSA)";
    /** The signature algorithms signed natively, by the class of private key they take. */
    static final Map<Class<? extends PrivateKey>, List<String>> ALGORITHMS = Map.of(
        RSAPrivateCrtKey.class, List.of("SHA256withRSA", "SHA384withRSA", "SHA512withRSA"),
        ECPrivateKey.class, List.of("SHA256withECDSA", "SHA384withECDSA", "SHA512withECDSA"));
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

    private NativeSigning() {
    }

    /**
     * Installs the provider as the first one, unless {@code mode} is {@link Mode#JDK}, Conscrypt's native library does
     * not load, or its signatures do not verify. Says on the log which signs. Installing twice changes nothing.
     *
     * @return the installed provider, or empty when the JDK signs
     */
    public static synchronized Optional<Provider> install(Mode mode) {
        Provider installed = Security.getProvider(PROVIDER_NAME);
        if (installed != null) {
            return Optional.of(installed);
        }
        if (mode == Mode.JDK) {
            LOGGER.info("The JDK computes {} ({}=jdk)", WHAT, PROPERTY);
            return Optional.empty();
        }
        Optional<Provider> provider = nativeProvider();
        provider.ifPresent(p -> {
            Security.insertProviderAt(p, 1);
            LOGGER.info("BoringSSL through Conscrypt {}.{}.{} computes {}", Conscrypt.version().major(),
                Conscrypt.version().minor(), Conscrypt.version().patch(), WHAT);
        });
        return provider;
    }

    /** The provider, checked with throwaway keys, without installing it; empty (and logged) when it cannot work here. */
    static Optional<Provider> nativeProvider() {
        Provider conscrypt;
        try {
            Conscrypt.checkAvailability();
            conscrypt = Conscrypt.newProvider();
        } catch (Throwable e) {
            // UnsatisfiedLinkError and the like: no native library for this platform
            LOGGER.warn("The JDK computes {}: Conscrypt's native library does not load on {} {} ({}); set {}=jdk to say so "
                + "and silence this warning", WHAT, System.getProperty("os.name"), System.getProperty("os.arch"),
                rootCause(e), PROPERTY);
            return Optional.empty();
        }
        SigningProvider provider = new SigningProvider(conscrypt);
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(1024);
            check(provider, "SHA256withRSA", rsa.generateKeyPair());
            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
            ec.initialize(new ECGenParameterSpec("secp256r1"));
            check(provider, "SHA256withECDSA", ec.generateKeyPair());
        } catch (GeneralSecurityException | RuntimeException e) {
            LOGGER.warn("The JDK computes {}: BoringSSL's signatures did not pass the start check ({})", WHAT, e.toString());
            return Optional.empty();
        }
        return Optional.of(provider);
    }

    /** Signs with a throwaway key pair made by the JDK, through the provider, and verifies with the JDK. */
    private static void check(Provider provider, String algorithm, KeyPair pair) throws GeneralSecurityException {
        byte[] data = "msa4james start check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm, provider);
        signer.initSign(pair.getPrivate());
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(pair.getPublic());
        verifier.update(data);
        if (!verifier.verify(signature)) {
            throw new SignatureException(algorithm + " with a throwaway key does not verify with the JDK");
        }
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    /** The provider of the signing services of {@link #ALGORITHMS}, computed by Conscrypt. */
    static final class SigningProvider extends Provider {
        private static final long serialVersionUID = 1L;

        SigningProvider(Provider conscrypt) {
            super(PROVIDER_NAME, "1.0", "RSA and ECDSA signing by BoringSSL (Conscrypt), for msa4james");
            NativeKeys keys = new NativeKeys(conscrypt);
            ALGORITHMS.forEach((keyClass, algorithms) -> {
                for (String algorithm : algorithms) {
                    // the JDK offers a service only the keys of its class: the others go to the next provider at once
                    putService(new Service(this, "Signature", algorithm, Spi.class.getName(), null,
                        Map.of("SupportedKeyClasses", keyClass.getName())) {
                        @Override
                        public Object newInstance(Object constructorParameter) {
                            return new Spi(conscrypt, keys, algorithm, keyClass);
                        }
                    });
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
                nativeKey = (PrivateKey) KeyFactory.getInstance(key.getAlgorithm(), conscrypt).translateKey(key);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new InvalidKeyException("BoringSSL cannot use this " + key.getAlgorithm() + " key: " + e.getMessage(), e);
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
            PrivateKey[] longer = Arrays.copyOf(keys, keys.length + 1);
            longer[keys.length] = key;
            return longer;
        }
    }

    /** One signature: the JDK's {@link Signature} calls it, it hands the work to Conscrypt's. */
    public static final class Spi extends SignatureSpi {
        private final Provider conscrypt;
        private final NativeKeys keys;
        private final String algorithm;
        private final Class<? extends PrivateKey> keyClass;
        private Signature delegate;

        Spi(Provider conscrypt, NativeKeys keys, String algorithm, Class<? extends PrivateKey> keyClass) {
            this.conscrypt = conscrypt;
            this.keys = keys;
            this.algorithm = algorithm;
            this.keyClass = keyClass;
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            if (!keyClass.isInstance(privateKey)) {
                throw new InvalidKeyException(algorithm + " is signed natively with " + keyClass.getSimpleName()
                    + " keys only, not " + (privateKey == null ? "null" : privateKey.getClass().getName()));
            }
            PrivateKey nativeKey = keys.translate(privateKey);
            try {
                Signature signature = delegate != null ? delegate : Signature.getInstance(algorithm, conscrypt);
                signature.initSign(nativeKey);
                delegate = signature;
            } catch (GeneralSecurityException e) {
                throw new InvalidKeyException("BoringSSL cannot sign " + algorithm + " with this key: " + e.getMessage(), e);
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
            throw new InvalidParameterException(algorithm + " has no parameter " + param);
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new InvalidParameterException(algorithm + " has no parameter " + param);
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
