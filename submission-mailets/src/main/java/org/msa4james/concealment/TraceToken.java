package org.msa4james.concealment;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opaque name that stands for the client in the Received field of a submission: a keyed HMAC-SHA256 of the
 * client's IP address and James's SMTP session id, {@code clientAddress + "|" + sessionId} in UTF-8, truncated to
 * 16 bytes and written in lower-case base32 (RFC 4648, no padding: 26 characters), after {@value #CLIENT_NAME_PREFIX}.
 *
 * <p>Without the key nobody can tell which address a token stands for (the IPv4 space is small enough to try every
 * address, so the key must stay secret); with it, the administrator confirms that a session seen in James's log
 * (client address and session id) is the one a message came from. Run as a program to do that:</p>
 * <pre>
 * java -cp 'extensions-jars/*' org.msa4james.concealment.TraceToken --key-file conf/trace.key \
 *      --client 192.0.2.7 --session 5c72df5d [--token msa-client-...]
 * </pre>
 * <p>This class uses nothing but the JDK, so that the program runs with the submission-mailets jar alone.</p>
 */
public final class TraceToken {
    /** The shortest key accepted, in characters. */
    public static final int MIN_KEY_LENGTH = 32;
    /** What the token follows in the Received field: {@code from msa-client-<token>}. */
    public static final String CLIENT_NAME_PREFIX = "msa-client-";

    private static final String ALGORITHM = "HmacSHA256";
    private static final int TOKEN_BYTES = 16;
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[0-9A-Za-z_.-]+)?");
    private static final String USAGE = "Usage: java -cp 'extensions-jars/*' " + TraceToken.class.getName()
        + " --key-file FILE --client ADDRESS --session ID [--token TOKEN]\n"
        + "\n"
        + "Prints the name that stands for a client in the Received field of its submissions (from msa-client-...),\n"
        + "for the client's IP address and James's SMTP session id as James logs them. The key is the first line of\n"
        + "FILE (the traceKey of ConcealLocalAddresses: conf/trace.key in the msa4james home).\n"
        + "With --token, checks a token (with or without the msa-client- prefix) instead: exit status 0 when it is\n"
        + "the token of that client and session, 1 when it is not. Exit status 2: wrong usage or unreadable key.";

    private final SecretKeySpec key;
    /** Initialised once; each token uses a copy of it (a Mac is not thread-safe, and a new one costs a provider lookup). */
    private final Mac prototype;

    private TraceToken(SecretKeySpec key) {
        this.key = key;
        this.prototype = newMac(key);
    }

    /**
     * @param key at least {@value #MIN_KEY_LENGTH} characters, no white space or control characters
     * @throws IllegalArgumentException saying what is wrong with the key (never quoting it)
     */
    public static TraceToken withKey(String key) {
        Optional<String> problem = keyProblem(key);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        return new TraceToken(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
    }

    /** What is wrong with a key, worded to follow "the key ..." or a parameter name; never quotes the key. */
    public static Optional<String> keyProblem(String key) {
        if (key.startsWith("${") && key.endsWith("}")) {
            return Optional.of("is the unresolved placeholder " + key + ": define that property (bin/msa4james does, from conf/trace.key)");
        }
        if (!key.chars().allMatch(c -> c > 0x20 && c != 0x7f)) {
            return Optional.of("must not contain white space or control characters");
        }
        if (key.length() < MIN_KEY_LENGTH) {
            return Optional.of("must be at least " + MIN_KEY_LENGTH + " characters long, not " + key.length());
        }
        return Optional.empty();
    }

    /** The token of a client address and a session id: 26 characters of lower-case base32. */
    public String token(String clientAddress, String sessionId) {
        byte[] digest = mac().doFinal((clientAddress + "|" + sessionId).getBytes(StandardCharsets.UTF_8));
        return base32(Arrays.copyOf(digest, TOKEN_BYTES));
    }

    /** {@value #CLIENT_NAME_PREFIX} followed by the token: the name written after "from" in the Received field. */
    public String clientName(String clientAddress, String sessionId) {
        return CLIENT_NAME_PREFIX + token(clientAddress, sessionId);
    }

    private Mac mac() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return newMac(key);
        }
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        }
    }

    private static String base32(byte[] bytes) {
        StringBuilder text = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = buffer << 8 | b & 0xff;
            bits += 8;
            while (bits >= 5) {
                text.append(BASE32.charAt(buffer >> bits - 5 & 0x1f));
                bits -= 5;
            }
        }
        if (bits > 0) {
            text.append(BASE32.charAt(buffer << 5 - bits & 0x1f));
        }
        return text.toString();
    }

    /**
     * The textual form James gives a client address (Java's {@code InetAddress.getHostAddress()}), so that
     * {@code ::1} and {@code 0:0:0:0:0:0:0:1} give the same token. Only IP literals: never a DNS lookup.
     *
     * @throws IllegalArgumentException when the text is not an IP address
     */
    public static String canonicalAddress(String address) {
        boolean ipv4 = IPV4.matcher(address).matches()
            && Arrays.stream(address.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
        if (!ipv4 && !IPV6.matcher(address).matches()) {
            throw new IllegalArgumentException("'" + address + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + address + "' is not an IP address");
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The program; returns its exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> known = List.of("--key-file", "--client", "--session", "--token");
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("-h") || name.equals("--help")) {
                out.println(USAGE);
                return 0;
            }
            if (!known.contains(name)) {
                return usage(err, "unknown argument '" + name + "'");
            }
            if (i + 1 >= args.length) {
                return usage(err, name + " needs a value");
            }
            if (options.put(name, args[++i]) != null) {
                return usage(err, name + " given twice");
            }
        }
        for (String required : List.of("--key-file", "--client", "--session")) {
            if (!options.containsKey(required)) {
                return usage(err, required + " is required");
            }
        }
        String client;
        try {
            client = canonicalAddress(options.get("--client"));
        } catch (IllegalArgumentException e) {
            return usage(err, "--client: " + e.getMessage());
        }
        String session = options.get("--session");
        if (session.isEmpty() || !session.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return usage(err, "--session: '" + session + "' is not a session id");
        }

        Path keyFile = Paths.get(options.get("--key-file"));
        TraceToken traceToken;
        try {
            String key = Files.readAllLines(keyFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
            traceToken = withKey(key);
        } catch (IOException e) {
            err.println("TraceToken: cannot read the key file " + keyFile + ": " + e);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("TraceToken: the key in " + keyFile + " " + e.getMessage());
            return 2;
        }

        String clientName = traceToken.clientName(client, session);
        if (!options.containsKey("--token")) {
            out.println(clientName);
            return 0;
        }
        String given = options.get("--token").toLowerCase(Locale.ROOT);
        String expected = given.startsWith(CLIENT_NAME_PREFIX) ? clientName : clientName.substring(CLIENT_NAME_PREFIX.length());
        if (given.equals(expected)) {
            out.println("match: " + clientName + " is client " + client + " in session " + session);
            return 0;
        }
        out.println("no match: client " + client + " in session " + session + " is " + clientName);
        return 1;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("TraceToken: " + problem);
        err.println(USAGE);
        return 2;
    }
}
