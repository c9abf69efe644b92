package org.msa4james.dkim;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Generates the DKIM signing key of a domain for James's {@code DKIMSign} mailet, and the DNS TXT record that
 * publishes its public key. Pure Java (java.security); run it with the James home's class path:
 *
 * <pre>
 * java -cp "extensions-jars/*:james-server-memory-app.lib/*" org.msa4james.dkim.DkimKeyTool \
 *      --domain example.test --selector msa --directory conf/dkim
 * </pre>
 *
 * writes {@code conf/dkim/example.test.pem} (a 2048-bit RSA key, unencrypted PKCS#8 PEM, mode 0600) and
 * {@code conf/dkim/example.test.dns.txt} (the record, one line in zone file syntax). It never overwrites a key.
 * {@code --print-dns} prints the record of an existing key, for any selector. See {@link #USAGE} for the exit
 * statuses.
 */
public final class DkimKeyTool {
    /** Exit status: done. */
    public static final int OK = 0;
    /** Exit status: failed while working (I/O error, unreadable or invalid key file). */
    public static final int FAILED = 1;
    /** Exit status: bad arguments. */
    public static final int BAD_ARGUMENTS = 2;
    /** Exit status: the key (or its record file) exists already; nothing was written. */
    public static final int KEY_EXISTS = 3;

    static final int KEY_BITS = 2048;
    static final String PROGRAM = "DkimKeyTool";
    static final String USAGE = ""
        + "Usage: " + PROGRAM + " --domain DOMAIN --selector SELECTOR --directory DIRECTORY [--print-dns]\n"
        + "\n"
        + "Generates the DKIM signing key of a domain for msa4james (James's DKIMSign mailet): a " + KEY_BITS + "-bit RSA\n"
        + "key in DIRECTORY/DOMAIN.pem (unencrypted PKCS#8 PEM, mode 0600), and the DNS TXT record that publishes\n"
        + "its public key in DIRECTORY/DOMAIN.dns.txt. An existing key is never overwritten.\n"
        + "\n"
        + "  --domain DOMAIN        the signing domain (DKIM d=), e.g. example.test\n"
        + "  --selector SELECTOR    the selector (DKIM s=) the key is published under, e.g. msa\n"
        + "  --directory DIRECTORY  where the key is kept (conf/dkim in the James home); created when missing\n"
        + "  --print-dns            generate nothing: print the DNS TXT record of the existing DIRECTORY/DOMAIN.pem\n"
        + "                         under SELECTOR (e.g. for a new selector)\n"
        + "  -h, --help             print this text\n"
        + "\n"
        + "Exit status: 0 done, 1 failed (I/O error, unreadable key), 2 bad arguments, 3 the key exists already.\n";

    private static final Set<PosixFilePermission> KEY_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> RECORD_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

    private final Supplier<KeyPair> keyPairs;

    /** Generates RSA keys of {@value #KEY_BITS} bits with the JDK's default provider and SecureRandom. */
    public DkimKeyTool() {
        this(DkimKeyTool::generateRsaKeyPair);
    }

    DkimKeyTool(Supplier<KeyPair> keyPairs) {
        this.keyPairs = keyPairs;
    }

    public static void main(String[] args) {
        System.exit(new DkimKeyTool().run(args, System.out, System.err));
    }

    /** Runs the tool; returns its exit status. Messages for the user go to {@code out} (results) and {@code err}. */
    public int run(String[] args, PrintStream out, PrintStream err) {
        if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
            out.print(USAGE);
            return OK;
        }
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            err.println("Run " + PROGRAM + " --help for the usage.");
            return BAD_ARGUMENTS;
        }
        if (arguments.printDns) {
            return printDns(arguments, out, err);
        }
        return generate(arguments, out, err);
    }

    private int generate(Arguments arguments, PrintStream out, PrintStream err) {
        Path key = arguments.keyFile();
        Path record = arguments.recordFile();
        for (Path existing : List.of(key, record)) {
            if (Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                return refuseToOverwrite(existing, err);
            }
        }

        RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) keyPairs.get().getPrivate();
        DkimDnsRecord dnsRecord = DkimDnsRecord.of(arguments.selector, arguments.domain, DkimPrivateKeyPem.publicKeyOf(privateKey));
        try {
            createDirectories(arguments.directory);
            createFile(key, DkimPrivateKeyPem.encode(privateKey), KEY_PERMISSIONS);
            try {
                createFile(record, dnsRecord.zoneFileLine() + "\n", RECORD_PERMISSIONS);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(key);
                throw e;
            }
        } catch (FileAlreadyExistsException e) {
            return refuseToOverwrite(Path.of(e.getFile()), err);
        } catch (IOException e) {
            err.println(PROGRAM + ": cannot write the DKIM key of " + arguments.domain + " in " + arguments.directory + ": " + describe(e));
            return FAILED;
        }

        out.println("Generated a " + KEY_BITS + "-bit RSA DKIM key for " + arguments.domain + " in " + key + " (mode 0600).");
        out.println("Publish this DNS TXT record (also in " + record + "); until it is published, receivers cannot verify the signatures:");
        out.println(dnsRecord.zoneFileLine());
        return OK;
    }

    private int printDns(Arguments arguments, PrintStream out, PrintStream err) {
        Path key = arguments.keyFile();
        String pem;
        try {
            pem = Files.readString(key, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            err.println(PROGRAM + ": there is no DKIM key " + key + " (run without --print-dns to generate it)");
            return FAILED;
        } catch (IOException e) {
            err.println(PROGRAM + ": cannot read " + key + ": " + describe(e));
            return FAILED;
        }
        RSAPrivateCrtKey privateKey;
        try {
            privateKey = DkimPrivateKeyPem.decode(pem);
        } catch (IllegalArgumentException e) {
            err.println(PROGRAM + ": " + key + " is not a usable DKIM key: " + e.getMessage());
            return FAILED;
        }
        out.println(DkimDnsRecord.of(arguments.selector, arguments.domain, DkimPrivateKeyPem.publicKeyOf(privateKey)).zoneFileLine());
        return OK;
    }

    private static int refuseToOverwrite(Path existing, PrintStream err) {
        err.println(PROGRAM + ": " + existing + " exists already; it is not overwritten. To print the DNS record of the "
            + "existing key use --print-dns; to replace the key, move its .pem and .dns.txt files away first.");
        return KEY_EXISTS;
    }

    private static void createDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (isPosix(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS));
        } else {
            Files.createDirectories(directory);
        }
    }

    /**
     * Creates the file, never replacing one, readable by the owner only from the start; writes it; then gives it its
     * exact permissions, whatever the umask. A file this method created is deleted when writing it fails.
     */
    private static void createFile(Path file, String content, Set<PosixFilePermission> permissions) throws IOException {
        boolean posix = isPosix(file);
        FileAttribute<?>[] attributes = posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(KEY_PERMISSIONS)}
            : new FileAttribute<?>[0];
        // CREATE_NEW fails, atomically, when the file exists (FileAlreadyExistsException: nothing to delete then)
        SeekableByteChannel channel = Files.newByteChannel(file,
            EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes);
        try {
            try (OutputStream output = Channels.newOutputStream(channel)) {
                output.write(content.getBytes(StandardCharsets.US_ASCII));
            }
            if (posix) {
                Files.setPosixFilePermissions(file, permissions);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type + ": " + e.getMessage();
    }

    private static KeyPair generateRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_BITS);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no RSA key pair generator", e);
        }
    }

    /** The command line, checked. */
    private static final class Arguments {
        private static final List<String> VALUE_OPTIONS = List.of("--domain", "--selector", "--directory");

        private final boolean printDns;
        private final String domain;
        private final String selector;
        private final Path directory;

        private Arguments(boolean printDns, String domain, String selector, Path directory) {
            this.printDns = printDns;
            this.domain = domain;
            this.selector = selector;
            this.directory = directory;
        }

        static Arguments parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            boolean printDns = false;
            List<String> list = new ArrayList<>(List.of(args));
            for (int index = 0; index < list.size(); index++) {
                String argument = list.get(index);
                if (argument.equals("--print-dns")) {
                    if (printDns) {
                        throw new IllegalArgumentException("--print-dns is given twice");
                    }
                    printDns = true;
                    continue;
                }
                String option = argument;
                Optional<String> inlineValue = Optional.empty();
                int equals = argument.indexOf('=');
                if (argument.startsWith("--") && equals > 0) {
                    option = argument.substring(0, equals);
                    inlineValue = Optional.of(argument.substring(equals + 1));
                }
                if (!VALUE_OPTIONS.contains(option)) {
                    throw new IllegalArgumentException(argument.startsWith("-")
                        ? "unknown option '" + option + "'"
                        : "unexpected argument '" + argument + "' (every value follows its option, e.g. --domain example.test)");
                }
                String value;
                if (inlineValue.isPresent()) {
                    value = inlineValue.get();
                } else if (index + 1 < list.size() && !list.get(index + 1).startsWith("--")) {
                    index++;
                    value = list.get(index);
                } else {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                if (values.put(option, value) != null) {
                    throw new IllegalArgumentException(option + " is given twice");
                }
            }
            for (String option : VALUE_OPTIONS) {
                if (!values.containsKey(option)) {
                    throw new IllegalArgumentException(option + " is required");
                }
            }
            String domain = checked("--domain", values.get("--domain"), DkimDnsRecord::checkDomain);
            String selector = checked("--selector", values.get("--selector"), DkimDnsRecord::checkSelector);
            try {
                DkimDnsRecord.checkOwnerName(selector, domain);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--selector: " + e.getMessage(), e);
            }
            return new Arguments(printDns, domain, selector, directory(values.get("--directory")));
        }

        private static String checked(String option, String value, UnaryOperator<String> check) {
            try {
                return check.apply(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }

        private static Path directory(String value) {
            if (value.isBlank()) {
                throw new IllegalArgumentException("--directory: the directory name is empty");
            }
            Path directory;
            try {
                directory = Path.of(value);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("--directory: '" + value + "' is not a valid path: " + e.getReason(), e);
            }
            if (Files.exists(directory) && !Files.isDirectory(directory)) {
                throw new IllegalArgumentException("--directory: '" + value + "' exists and is not a directory");
            }
            return directory;
        }

        Path keyFile() {
            return directory.resolve(domain + ".pem");
        }

        Path recordFile() {
            return directory.resolve(domain + ".dns.txt");
        }
    }
}
