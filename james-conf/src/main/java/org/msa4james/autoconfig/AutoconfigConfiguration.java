package org.msa4james.autoconfig;

import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;

import com.google.common.base.MoreObjects;

/**
 * The self-configuration listener's own settings, from {@value #FILE} (its values come from system properties that
 * bin/msa4james sets: {@code ${sys:msa.autoconfig.port}}, ...). Every key is checked at start; an unknown key or a
 * bad value stops James with a message naming the key. Without the file the listener is off.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code hostname}</td><td>required</td><td>the name mail clients are told to connect to (msa.hostname)</td></tr>
 *   <tr><td>{@code bind}</td><td>required</td><td>the address to listen on (msa.bind)</td></tr>
 *   <tr><td>{@code http.port}</td><td>required</td><td>plain HTTP port, 0 for none (msa.autoconfig.port)</td></tr>
 *   <tr><td>{@code https.port}</td><td>required</td><td>HTTPS port, 0 for none (msa.autoconfigs.port)</td></tr>
 *   <tr><td>{@code https.keystore}, {@code https.keystoreType}, {@code https.secret}</td><td>required for HTTPS</td>
 *       <td>the server's certificate, as in the mail listeners' {@code <tls>}</td></tr>
 *   <tr><td>{@code connectionLimit}</td><td>{@value #DEFAULT_CONNECTION_LIMIT}</td><td>most open connections</td></tr>
 *   <tr><td>{@code connectionLimitPerIP}</td><td>{@value #DEFAULT_CONNECTION_LIMIT_PER_IP}</td><td>most open
 *       connections from one client address</td></tr>
 *   <tr><td>{@code timeout}</td><td>{@value #DEFAULT_TIMEOUT_SECONDS}</td><td>seconds a connection may take to send a
 *       complete request (and to finish its TLS handshake); then it is closed</td></tr>
 * </table>
 */
public final class AutoconfigConfiguration {
    public static final String FILE = "conf/autoconfig.properties";
    static final int DEFAULT_CONNECTION_LIMIT = 200;
    static final int DEFAULT_CONNECTION_LIMIT_PER_IP = 20;
    static final int DEFAULT_TIMEOUT_SECONDS = 10;
    private static final Set<String> KEYS = Set.of("hostname", "bind", "http.port", "https.port", "https.keystore",
        "https.keystoreType", "https.secret", "connectionLimit", "connectionLimitPerIP", "timeout");
    private static final Pattern HOST_NAME = Pattern.compile(
        "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern BIND = Pattern.compile("[A-Za-z0-9.:-]+");

    private final Optional<Listening> listening;

    private AutoconfigConfiguration(Optional<Listening> listening) {
        this.listening = listening;
    }

    /** No {@value #FILE}: nothing listens. */
    public static AutoconfigConfiguration off() {
        return new AutoconfigConfiguration(Optional.empty());
    }

    /**
     * @throws ConfigurationException naming the file and the key, when a key is unknown or a value is bad
     */
    public static AutoconfigConfiguration from(Configuration configuration) throws ConfigurationException {
        for (Iterator<String> keys = configuration.getKeys(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KEYS.contains(key)) {
                throw invalid("unknown key '" + key + "'; known keys: " + String.join(", ", KEYS.stream().sorted().toArray(String[]::new)));
            }
        }
        String hostName = required(configuration, "hostname");
        if (hostName.length() > 253 || !HOST_NAME.matcher(hostName).matches()) {
            throw invalid("hostname must be a host name of letters, digits, hyphens and dots, not '" + hostName + "'");
        }
        String bind = required(configuration, "bind");
        if (!BIND.matcher(bind).matches()) {
            throw invalid("bind must be an IP address or a host name, not '" + bind + "'");
        }
        int httpPort = port(configuration, "http.port");
        int httpsPort = port(configuration, "https.port");
        Optional<Tls> tls = Optional.empty();
        if (httpsPort != 0) {
            tls = Optional.of(new Tls(required(configuration, "https.keystore"), required(configuration, "https.keystoreType"),
                secret(configuration)));
        }
        Listening listening = new Listening(hostName, bind, httpPort, httpsPort, tls,
            positive(configuration, "connectionLimit", DEFAULT_CONNECTION_LIMIT),
            positive(configuration, "connectionLimitPerIP", DEFAULT_CONNECTION_LIMIT_PER_IP),
            positive(configuration, "timeout", DEFAULT_TIMEOUT_SECONDS));
        return new AutoconfigConfiguration(Optional.of(listening));
    }

    /** Empty when the file is missing; when present, {@link Listening#enabled()} says whether a port is open. */
    public Optional<Listening> listening() {
        return listening;
    }

    /** The published host name, when configured. */
    public Optional<String> hostName() {
        return listening.map(Listening::hostName);
    }

    private static String required(Configuration configuration, String key) throws ConfigurationException {
        String value = Optional.ofNullable(configuration.getString(key, null)).map(String::trim).orElse("");
        if (value.isEmpty()) {
            throw invalid(key + " is required");
        }
        if (value.contains("${")) {
            throw invalid(key + " refers to an undefined property: '" + value + "'");
        }
        return value;
    }

    private static String secret(Configuration configuration) throws ConfigurationException {
        String value = Optional.ofNullable(configuration.getString("https.secret", null)).orElse("");
        if (value.isEmpty() || value.startsWith("${")) {
            throw invalid("https.secret, the password of the keystore, is not set (bin/msa4james sets msa.keystore.secret)");
        }
        return value;
    }

    private static int port(Configuration configuration, String key) throws ConfigurationException {
        String value = required(configuration, key);
        if (value.matches("[0-9]{1,5}") && Integer.parseInt(value) <= 65535) {
            return Integer.parseInt(value);
        }
        throw invalid(key + " must be a port number from 1 to 65535, or 0 for none, not '" + value + "'");
    }

    private static int positive(Configuration configuration, String key, int defaultValue) throws ConfigurationException {
        String value = Optional.ofNullable(configuration.getString(key, null)).map(String::trim).orElse("");
        if (value.isEmpty()) {
            return defaultValue;
        }
        if (value.matches("[0-9]{1,9}") && Integer.parseInt(value) > 0) {
            return Integer.parseInt(value);
        }
        throw invalid(key + " must be a positive integer, not '" + value + "'");
    }

    private static ConfigurationException invalid(String message) {
        return new ConfigurationException(FILE + ": " + message);
    }

    @Override
    public String toString() {
        return MoreObjects.toStringHelper(this).add("listening", listening).toString();
    }

    /** Where and how the listener listens. */
    public static final class Listening {
        private final String hostName;
        private final String bind;
        private final int httpPort;
        private final int httpsPort;
        private final Optional<Tls> tls;
        private final int connectionLimit;
        private final int connectionLimitPerIp;
        private final int timeoutSeconds;

        Listening(String hostName, String bind, int httpPort, int httpsPort, Optional<Tls> tls, int connectionLimit,
                  int connectionLimitPerIp, int timeoutSeconds) {
            this.hostName = hostName;
            this.bind = bind;
            this.httpPort = httpPort;
            this.httpsPort = httpsPort;
            this.tls = tls;
            this.connectionLimit = connectionLimit;
            this.connectionLimitPerIp = connectionLimitPerIp;
            this.timeoutSeconds = timeoutSeconds;
        }

        public String hostName() {
            return hostName;
        }

        public String bind() {
            return bind;
        }

        /** 0 when plain HTTP is off. */
        public int httpPort() {
            return httpPort;
        }

        /** 0 when HTTPS is off. */
        public int httpsPort() {
            return httpsPort;
        }

        public boolean enabled() {
            return httpPort != 0 || httpsPort != 0;
        }

        /** Present when HTTPS is on. */
        public Optional<Tls> tls() {
            return tls;
        }

        public int connectionLimit() {
            return connectionLimit;
        }

        public int connectionLimitPerIp() {
            return connectionLimitPerIp;
        }

        public int timeoutSeconds() {
            return timeoutSeconds;
        }

        @Override
        public String toString() {
            return MoreObjects.toStringHelper(this)
                .add("hostName", hostName)
                .add("bind", bind)
                .add("httpPort", httpPort)
                .add("httpsPort", httpsPort)
                .add("connectionLimit", connectionLimit)
                .add("connectionLimitPerIp", connectionLimitPerIp)
                .add("timeoutSeconds", timeoutSeconds)
                .toString();
        }
    }

    /** The keystore of the HTTPS port; the secret is never printed. */
    public static final class Tls {
        private final String keystore;
        private final String keystoreType;
        private final String secret;

        Tls(String keystore, String keystoreType, String secret) {
            this.keystore = keystore;
            this.keystoreType = keystoreType;
            this.secret = secret;
        }

        public String keystore() {
            return keystore;
        }

        public String keystoreType() {
            return keystoreType;
        }

        public char[] secret() {
            return secret.toCharArray();
        }

        @Override
        public String toString() {
            return keystoreType + " " + keystore;
        }
    }
}
