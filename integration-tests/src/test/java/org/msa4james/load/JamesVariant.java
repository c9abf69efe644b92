package org.msa4james.load;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The James configurations the side-by-side benchmark compares, all on the persistent server as shipped but (m). Each is
 * the shipped conf/ of the assembled home,
 * transformed in place in a copy of that home (never a hand-written copy, so a change to the shipped conf is
 * measured at once). A transformation that does not find what it removes fails, naming the file: the shipped conf
 * changed and the variant must follow it.
 */
public enum JamesVariant implements BenchmarkVariant {
    /** (a) The shipped configuration: every submission hook and mailet, DKIM signing on. */
    MSA4JAMES("msa4james", "shipped conf: msa4james hooks + submission processor, DKIM signing on") {
        @Override
        void transform(Path conf) {
            // the shipped conf as it is
        }
    },
    /**
     * (m) The shipped configuration on James's memory server (MSA_STORAGE=memory): what the persistent storage of the
     * shipped server costs is (a) against (m).
     */
    MSA4JAMES_MEMORY("msa4james-memory", "shipped conf on the memory server (MSA_STORAGE=memory): queues, users, mailboxes in the heap") {
        @Override
        void transform(Path conf) {
            // the shipped conf as it is
        }

        @Override
        Map<String, String> environment() {
            return Map.of("MSA_STORAGE", "memory");
        }
    },
    /**
     * (r) The shipped configuration with the abuse counters and client diagnostics in a local Redis: the same conf,
     * started with MSA_REDIS_URL (see {@link #usesRedis()}), to measure what the round trips to Redis cost.
     */
    MSA4JAMES_REDIS("msa4james-redis", "shipped conf, abuse counters and client diagnostics in a local Redis (MSA_REDIS_URL)") {
        @Override
        void transform(Path conf) {
            // the shipped conf as it is; Redis comes with the environment
        }

        @Override
        boolean usesRedis() {
            return true;
        }
    },
    /**
     * Lever (a-cache): (a) with the AUTH cache off ({@code authCacheTtl} 0 on 587 and 465): every AUTH runs James's
     * PBKDF2 check, as before the cache.
     */
    MSA4JAMES_NO_AUTH_CACHE("msa4james-no-auth-cache", "(a) with the AUTH cache off (authCacheTtl 0): PBKDF2 at every AUTH") {
        @Override
        void transform(Path conf) throws IOException {
            replaceEvery(conf.resolve("smtpserver.xml"), "<authCacheTtl>5m</authCacheTtl>", "<authCacheTtl>0</authCacheTtl>", 2);
        }
    },
    /**
     * Lever (a-rsa): (a) with a keystore holding only an RSA 2048 key, as bin/msa4james generated before it added the
     * ECDSA P-256 one: every TLS handshake signed with RSA.
     */
    MSA4JAMES_RSA_ONLY("msa4james-rsa-only", "(a) with an RSA 2048 certificate only (no ECDSA key): RSA handshake signatures") {
        @Override
        void transform(Path conf) throws IOException {
            rsaOnlyKeystore(conf);
        }
    },
    /**
     * Lever (a-spill): (a) with James's own threshold for keeping a message in memory while it is received (100 KiB)
     * instead of the 512 KiB bin/msa4james sets: a 100 KiB message goes through a temporary file.
     */
    MSA4JAMES_SPILL("msa4james-spill", "(a) with James's default message memory threshold (100KiB): larger messages through temporary files") {
        @Override
        void transform(Path conf) {
            // the shipped conf as it is; the JVM option comes with the environment
        }

        @Override
        Map<String, String> environment() {
            // JAVA_OPTS comes after the script's own -Djames.message.memory.threshold, so it wins
            return Map.of("JAVA_OPTS", "-Djames.message.memory.threshold=100KiB");
        }
    },
    /**
     * Lever (a-jdk): (a) with its signatures computed by the JDK (MSA_SIGNATURES=jdk) instead of BoringSSL through
     * Conscrypt: DKIM's RSA-2048 signature of every message and the ECDSA P-256 one of every TLS handshake in Java.
     */
    MSA4JAMES_JDK_SIGNATURES("msa4james-jdk-signatures", "(a) with DKIM and TLS signatures by the JDK (MSA_SIGNATURES=jdk) instead of BoringSSL") {
        @Override
        void transform(Path conf) {
            // the shipped conf as it is; the setting comes with the environment
        }

        @Override
        Map<String, String> environment() {
            return Map.of("MSA_SIGNATURES", "jdk");
        }
    },
    /**
     * Lever (a-heap): (a) without the benchmark's -Xms/-Xmx, as bin/msa4james starts it when nothing is set: the JVM sizes
     * the heap from the machine's memory (at most a quarter of it).
     */
    MSA4JAMES_DEFAULT_HEAP("msa4james-default-heap", "(a) without -Xms/-Xmx: the heap the JVM sizes from the machine, as bin/msa4james starts it") {
        @Override
        void transform(Path conf) {
            // the shipped conf as it is; the JVM options are the variant
        }

        @Override
        String javaOpts(String benchmarkJavaOpts) {
            return withoutHeapSize(benchmarkJavaOpts);
        }
    },
    /**
     * Lever (a-g1): (a) with G1, the JVM's own choice on 2 processors and 2 GB, instead of the serial collector that
     * bin/msa4james chooses on at most 2 processors.
     */
    MSA4JAMES_G1("msa4james-g1", "(a) with G1 (-XX:+UseG1GC), the JVM's choice, instead of the collector bin/msa4james chooses") {
        @Override
        void transform(Path conf) {
            // the shipped conf as it is; the JVM options are the variant
        }

        @Override
        String javaOpts(String benchmarkJavaOpts) {
            return withCollector(benchmarkJavaOpts, "-XX:+UseG1GC");
        }
    },
    /**
     * Lever (a-threads): (a) with fewer threads, as for a small machine: 4 spool threads instead of 20, 4 deliveries at a
     * time instead of 10, and on every SMTP listener 2 Netty IO threads (James's default: twice the processors) and 4
     * threads running the handlers (James's default: 16).
     */
    MSA4JAMES_FEW_THREADS("msa4james-few-threads", "(a) with 4 spool threads, 4 delivery threads, 2 IO and 4 handler threads per SMTP listener") {
        @Override
        void transform(Path conf) throws IOException {
            replaceEvery(conf.resolve("mailetcontainer.xml"), "<threads>20</threads>", "<threads>4</threads>", 1);
            replaceEvery(conf.resolve("mailetcontainer.xml"), "<deliveryThreads>10</deliveryThreads>", "<deliveryThreads>4</deliveryThreads>", 1);
            Path file = conf.resolve("smtpserver.xml");
            Document document = parse(file);
            List<Element> servers = children(document.getDocumentElement(), "smtpserver");
            if (servers.isEmpty()) {
                throw new IllegalStateException(file + ": no smtpserver");
            }
            for (Element server : servers) {
                setChildText(server, "ioWorkerCount", "2");
                setChildText(server, "maxExecutorCount", "4");
            }
            write(document, file);
        }
    },
    /** Lever (a-parallel): (a) with the parallel (throughput) collector instead of the one bin/msa4james chooses. */
    MSA4JAMES_PARALLEL_GC("msa4james-parallel-gc", "(a) with the parallel collector (-XX:+UseParallelGC) instead of the collector bin/msa4james chooses") {
        @Override
        void transform(Path conf) {
            // the shipped conf as it is; the JVM options are the variant
        }

        @Override
        String javaOpts(String benchmarkJavaOpts) {
            return withCollector(benchmarkJavaOpts, "-XX:+UseParallelGC");
        }
    },
    /** Lever (a-128m): (a) with a heap of 128 MiB instead of the benchmark's 512 MiB (what a small machine could give). */
    MSA4JAMES_HEAP_128M("msa4james-heap-128m", "(a) with a heap of 128 MiB (-Xms128m -Xmx128m)") {
        @Override
        void transform(Path conf) {
            // the shipped conf as it is; the JVM options are the variant
        }

        @Override
        String javaOpts(String benchmarkJavaOpts) {
            return ("-Xms128m -Xmx128m " + withoutHeapSize(benchmarkJavaOpts)).trim();
        }
    },
    /** (a') The shipped configuration without DKIMSign and PrepareForSigning (which exists only for DKIMSign). */
    MSA4JAMES_NODKIM("msa4james-nodkim", "shipped conf without DKIMSign and PrepareForSigning") {
        @Override
        void transform(Path conf) throws IOException {
            Path file = conf.resolve("mailetcontainer.xml");
            Document document = parse(file);
            Element submission = processor(document, "submission", file);
            int removed = removeChildren(submission, "mailet",
                mailet -> DKIM_SIGN.equals(mailet.getAttribute("class")) || PREPARE_FOR_SIGNING.equals(mailet.getAttribute("class")));
            if (removed != 2) {
                throw new IllegalStateException(file + ": expected DKIMSign and PrepareForSigning in the submission processor, removed "
                    + removed + " mailet(s)");
            }
            write(document, file);
        }
    },
    /**
     * (a'') For attribution only: (a') with every msa4james mailet of the submission processor replaced by a step that
     * does nothing but set a mail attribute (James's SetMailAttribute). Hooks, processor and steps are those of (a');
     * what (a'') costs over (b) is James's cost of the listener hooks, the extra processor and its steps, not the work
     * of the mailets, which is what (a') costs over (a'').
     */
    MSA4JAMES_EMPTY_STEPS("msa4james-empty-steps", "(a') with each msa4james mailet replaced by an empty step (SetMailAttribute)") {
        @Override
        void transform(Path conf) throws IOException {
            MSA4JAMES_NODKIM.transform(conf);
            Path file = conf.resolve("mailetcontainer.xml");
            Document document = parse(file);
            Element submission = processor(document, "submission", file);
            int replaced = 0;
            for (Element mailet : children(submission, "mailet")) {
                if (mailet.getAttribute("class").startsWith(OUR_PACKAGE)) {
                    Element step = document.createElement("mailet");
                    step.setAttribute("match", mailet.getAttribute("match"));
                    step.setAttribute("class", "SetMailAttribute");
                    Element attribute = document.createElement("org.msa4james.benchmark.emptyStep");
                    attribute.setTextContent("done");
                    step.appendChild(attribute);
                    submission.replaceChild(step, mailet);
                    replaced++;
                }
            }
            if (replaced == 0) {
                throw new IllegalStateException(file + ": no msa4james mailet in the submission processor to replace");
            }
            write(document, file);
        }
    },
    /**
     * (b) The same James with no msa4james hook, mailet, matcher, Guice module or webadmin route: James's own
     * submission listener (AUTH announced and required to relay, STARTTLS, AUTH only under TLS, verifyIdentity on, no
     * authorizedAddresses) and James's stock root -> transport -> relay (RemoteDelivery through the same gateway).
     */
    PLAIN("plain", "same James, no msa4james hook/mailet/module: stock 587 (AUTH, STARTTLS, verifyIdentity) and root->transport->RemoteDelivery") {
        @Override
        void transform(Path conf) throws IOException {
            plainSmtpServer(conf.resolve("smtpserver.xml"));
            plainMailetContainer(conf.resolve("mailetcontainer.xml"));
            dropPropertyLines(conf.resolve("extensions.properties"), "guice.extension.module");
            dropPropertyLines(conf.resolve("webadmin.properties"), "extensions.routes");
        }
    };

    static final String OUR_PACKAGE = "org.msa4james.";
    private static final String DKIM_SIGN = "org.apache.james.jdkim.mailets.DKIMSign";
    private static final String PREPARE_FOR_SIGNING = "org.msa4james.mailet.PrepareForSigning";
    private static final String DELIVER_TO_NEXT_HOP = "org.msa4james.mailet.DeliverToNextHop";
    private static final String DELIVER_TO_MAILBOX = "org.msa4james.mailet.DeliverToMailbox";
    private static final String SEND_DELIVERY_REPORT = "org.msa4james.mailet.SendDeliveryReport";
    private static final String JAMES_DSN_HOOKS = "org.apache.james.smtpserver.dsn.";
    private static final List<String> SUBMISSION_LISTENERS = List.of("smtpserver-submission", "smtpserver-submissions");

    private final String variantName;
    private final String description;

    JamesVariant(String variantName, String description) {
        this.variantName = variantName;
        this.description = description;
    }

    /** The name printed in reports and accepted by {@link #byName(String)}. */
    @Override
    public String variantName() {
        return variantName;
    }

    @Override
    public String description() {
        return description;
    }

    public static JamesVariant byName(String name) {
        return Arrays.stream(values())
            .filter(variant -> variant.variantName.equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown variant '" + name + "'; one of "
                + Arrays.stream(values()).map(JamesVariant::variantName).collect(Collectors.joining(", "))));
    }

    /** Transforms the conf/ directory of a copied James home into this variant. */
    abstract void transform(Path conf) throws IOException;

    /** Variables of bin/msa4james's environment this variant sets (beyond the benchmark's own). */
    Map<String, String> environment() {
        return Map.of();
        }

    /**
     * The JVM options (MSA_JAVA_OPTS) this variant runs with, given the benchmark's ({@code --java-opts}, by default
     * {@link JamesProcess#DEFAULT_JAVA_OPTS}): the benchmark's, but for the JVM levers.
     */
    String javaOpts(String benchmarkJavaOpts) {
        return benchmarkJavaOpts;
    }

    private static final java.util.regex.Pattern JAVA_COLLECTOR_OPTION = java.util.regex.Pattern.compile("(^|\\s)-XX:[+-]Use\\w+GC(?=\\s|$)");
    private static final java.util.regex.Pattern JAVA_HEAP_OPTION = java.util.regex.Pattern.compile("(^|\\s)-Xm[sx]\\S+(?=\\s|$)");

    /** The options without -Xms and -Xmx. */
    static String withoutHeapSize(String javaOpts) {
        return JAVA_HEAP_OPTION.matcher(javaOpts).replaceAll("").trim();
    }

    /** The options with every collector choice removed and {@code collector} added. */
    static String withCollector(String javaOpts, String collector) {
        String others = JAVA_COLLECTOR_OPTION.matcher(javaOpts).replaceAll("").trim();
        return (others + " " + collector).trim();
    }

    /** Whether the variant runs with MSA_REDIS_URL naming a redis-server that the benchmark starts. */
    boolean usesRedis() {
        return false;
    }

    // ------------------------------------------------------------------------------------------------ plain James

    private static void plainSmtpServer(Path file) throws IOException {
        Document document = parse(file);
        int removed = 0;
        List<String> submissionListeners = new ArrayList<>();
        for (Element server : children(document.getDocumentElement(), "smtpserver")) {
            for (Element chain : children(server, "handlerchain")) {
                removed += removeChildren(chain, "handler", handler -> handler.getAttribute("class").startsWith(OUR_PACKAGE));
                // James's DSN hook is not in its stock configuration either
                removeChildren(chain, "handler", handler -> handler.getAttribute("class").startsWith(JAMES_DSN_HOOKS));
            }
            String jmxName = childText(server, "jmxName");
            if (SUBMISSION_LISTENERS.contains(jmxName)) {
                submissionListeners.add(jmxName);
                // James's own rules for a submission listener: AUTH announced, only under TLS, required to relay
                // (no authorizedAddresses), and James's MAIL FROM identity check.
                Element auth = child(server, "auth", file);
                setChildText(auth, "announce", "always");
                setChildText(auth, "requireSSL", "true");
                setChildText(auth, "plainAuthEnabled", "true");
                removeChildren(server, "authorizedAddresses", element -> true);
                setChildText(server, "verifyIdentity", "true");
                Element tls = child(server, "tls", file);
                if (!"true".equals(tls.getAttribute("startTLS")) && !"true".equals(tls.getAttribute("socketTLS"))) {
                    throw new IllegalStateException(file + ": listener " + jmxName + " has no TLS");
                }
            }
        }
        if (removed == 0 || !submissionListeners.containsAll(SUBMISSION_LISTENERS)) {
            throw new IllegalStateException(file + ": expected msa4james handlers on the listeners " + SUBMISSION_LISTENERS
                + ", found listeners " + submissionListeners + " and removed " + removed + " handler(s)");
        }
        requireNoReference(document, file);
        write(document, file);
    }

    private static void plainMailetContainer(Path file) throws IOException {
        Document document = parse(file);
        Element root = processor(document, "root", file);
        int routes = removeChildren(root, "mailet", mailet -> mailet.getAttribute("match").startsWith(OUR_PACKAGE));
        Element processors = (Element) root.getParentNode();
        int submissionProcessors = removeChildren(processors, "processor", processor -> "submission".equals(processor.getAttribute("state")));
        if (routes != 1 || submissionProcessors != 1) {
            throw new IllegalStateException(file + ": expected one route to the submission processor in root and one submission processor, found "
                + routes + " and " + submissionProcessors);
        }
        // composite matchers (e.g. transport's relay-allowed) naming our matcher
        for (Element processor : children(processors, "processor")) {
            for (Element composite : children(processor, "matcher")) {
                removeChildren(composite, "matcher", matcher -> matcher.getAttribute("match").startsWith(OUR_PACKAGE));
            }
        }
        stockDeliveryAndBounces(processors, file);
        requireNoReference(document, file);
        write(document, file);
    }

    /**
     * James's own RemoteDelivery, LocalDelivery, DSNBounce and Bounce in place of msa4james's delivery and reports
     * (DeliverToNextHop, DeliverToMailbox, SendDeliveryReport), and no processor for the reports James does not make.
     */
    private static void stockDeliveryAndBounces(Element processors, Path file) {
        int nextHop = 0;
        int mailbox = 0;
        for (Element processor : children(processors, "processor")) {
            String state = processor.getAttribute("state");
            for (Element mailet : children(processor, "mailet")) {
                String className = mailet.getAttribute("class");
                if (className.equals(DELIVER_TO_NEXT_HOP)) {
                    mailet.setAttribute("class", "RemoteDelivery");
                    removeChildren(mailet, "delayedProcessor", any -> true);
                    removeChildren(mailet, "relayedProcessor", any -> true);
                    nextHop++;
                } else if (className.equals(DELIVER_TO_MAILBOX)) {
                    mailet.setAttribute("class", "LocalDelivery");
                    removeChildren(mailet, "consume", any -> true);
                    removeChildren(mailet, "errorProcessor", any -> true);
                    mailbox++;
                } else if (className.equals(SEND_DELIVERY_REPORT)) {
                    if (state.equals("local-delivery")) {
                        removeChildren(processor, "mailet", element -> element == mailet);
                        continue;
                    }
                    mailet.setAttribute("class", state.equals("bounces") ? "DSNBounce" : "Bounce");
                    for (String parameter : List.of("action", "reportingMta", "status")) {
                        removeChildren(mailet, parameter, any -> true);
                    }
                }
            }
        }
        int reportProcessors = removeChildren(processors, "processor",
            processor -> List.of("delayed", "relayed").contains(processor.getAttribute("state")));
        if (nextHop != 1 || mailbox != 1 || reportProcessors != 2) {
            throw new IllegalStateException(file + ": expected one DeliverToNextHop, one DeliverToMailbox and the processors "
                + "'delayed' and 'relayed', found " + nextHop + ", " + mailbox + " and " + reportProcessors);
        }
    }

    private static void dropPropertyLines(Path file, String key) throws IOException {
        List<String> lines = Files.readAllLines(file, UTF_8);
        List<String> kept = lines.stream()
            .filter(line -> !(line.trim().startsWith(key) && line.contains(OUR_PACKAGE)))
            .collect(Collectors.toList());
        if (kept.size() == lines.size()) {
            throw new IllegalStateException(file + ": no '" + key + "' line naming " + OUR_PACKAGE + "* to remove");
        }
        Files.write(file, kept, UTF_8);
    }

    /** Replaces each occurrence of {@code from} by {@code to}; fails, naming the file, unless there are exactly {@code expected}. */
    static void replaceEvery(Path file, String from, String to, int expected) throws IOException {
        String text = Files.readString(file, UTF_8);
        int found = text.split(java.util.regex.Pattern.quote(from), -1).length - 1;
        if (found != expected) {
            throw new IllegalStateException(file + ": expected " + expected + " '" + from + "', found " + found);
        }
        Files.writeString(file, text.replace(from, to), UTF_8);
    }

    /** Writes conf/keystore.p12 with one RSA 2048 key and its password in conf/keystore.secret (mode 0600). */
    static void rsaOnlyKeystore(Path conf) throws IOException {
        Path keystore = conf.resolve("keystore.p12");
        Path secretFile = conf.resolve("keystore.secret");
        String secret = java.util.UUID.randomUUID().toString();
        Files.deleteIfExists(keystore);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-noprompt", "-alias", "msa4james",
            "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA", "-validity", "30", "-dname", "CN=mail.example.test",
            "-ext", "SAN=dns:mail.example.test,dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
            "-keystore", keystore.toString(), "-storepass", secret)
            .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException("keytool could not write " + keystore + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool wrote " + keystore, e);
        }
        Files.writeString(secretFile, secret + "\n", UTF_8);
        Files.setPosixFilePermissions(secretFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    // ------------------------------------------------------------------------------------------------ DOM helpers

    static Document parse(Path file) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    static void write(Document document, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.transform(new DOMSource(document), new StreamResult(out));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Element processor(Document document, String state, Path file) {
        NodeList processors = document.getElementsByTagName("processor");
        for (int i = 0; i < processors.getLength(); i++) {
            Element processor = (Element) processors.item(i);
            if (state.equals(processor.getAttribute("state"))) {
                return processor;
            }
        }
        throw new IllegalStateException(file + ": no processor with state '" + state + "'");
    }

    private static List<Element> children(Node parent, String tag) {
        List<Element> result = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element && tag.equals(((Element) node).getTagName())) {
                result.add((Element) node);
            }
        }
        return result;
    }

    private static Element child(Element parent, String tag, Path file) {
        List<Element> found = children(parent, tag);
        if (found.size() != 1) {
            throw new IllegalStateException(file + ": expected one <" + tag + "> in <" + parent.getTagName() + ">, found " + found.size());
        }
        return found.get(0);
    }

    private static String childText(Element parent, String tag) {
        List<Element> found = children(parent, tag);
        return found.isEmpty() ? "" : found.get(0).getTextContent().trim();
    }

    private static void setChildText(Element parent, String tag, String text) {
        List<Element> found = children(parent, tag);
        Element element;
        if (found.isEmpty()) {
            element = parent.getOwnerDocument().createElement(tag);
            parent.appendChild(element);
        } else {
            element = found.get(0);
        }
        element.setTextContent(text);
    }

    /** Removes the element children named tag that the predicate accepts, with the white space before each. */
    private static int removeChildren(Element parent, String tag, Predicate<Element> remove) {
        int removed = 0;
        for (Element element : children(parent, tag)) {
            if (remove.test(element)) {
                Node previous = element.getPreviousSibling();
                if (previous != null && previous.getNodeType() == Node.TEXT_NODE && previous.getTextContent().isBlank()) {
                    parent.removeChild(previous);
                }
                parent.removeChild(element);
                removed++;
            }
        }
        return removed;
    }

    /** Fails when an element name, attribute or text (comments aside) still names one of our classes. */
    private static void requireNoReference(Document document, Path file) {
        NodeList all = document.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element element = (Element) all.item(i);
            for (int a = 0; a < element.getAttributes().getLength(); a++) {
                if (element.getAttributes().item(a).getNodeValue().contains(OUR_PACKAGE)) {
                    throw new IllegalStateException(file + ": <" + element.getTagName() + "> still names " + element.getAttributes().item(a));
                }
            }
            for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node.getNodeType() == Node.TEXT_NODE && node.getTextContent().contains(OUR_PACKAGE)) {
                    throw new IllegalStateException(file + ": <" + element.getTagName() + "> still contains " + node.getTextContent().trim());
                }
            }
        }
    }
}
