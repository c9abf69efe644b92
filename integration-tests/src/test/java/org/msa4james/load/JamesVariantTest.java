package org.msa4james.load;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The benchmark's James variants, applied to a copy of the shipped conf (no James is started here). */
class JamesVariantTest {
    private static final Path SHIPPED = Path.of(System.getProperty("basedir", "."), "..", "james-conf", "src", "main", "conf");

    @TempDir
    Path conf;

    @BeforeEach
    void copyShippedConf() throws IOException {
        try (Stream<Path> files = Files.list(SHIPPED)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, conf.resolve(file.getFileName().toString()));
                }
            }
        }
    }

    @Nested
    class Msa4james {
        @Test
        void transformShouldLeaveTheShippedConfAsItIsWithOrWithoutRedis() throws IOException {
            String before = Files.readString(conf.resolve("mailetcontainer.xml"), UTF_8) + Files.readString(conf.resolve("smtpserver.xml"), UTF_8);

            JamesVariant.MSA4JAMES.transform(conf);
            JamesVariant.MSA4JAMES_REDIS.transform(conf);

            assertThat(Files.readString(conf.resolve("mailetcontainer.xml"), UTF_8) + Files.readString(conf.resolve("smtpserver.xml"), UTF_8))
                .isEqualTo(before);
        }

        @Test
        void onlyTheRedisVariantShouldUseRedis() {
            assertThat(java.util.Arrays.stream(JamesVariant.values()).filter(JamesVariant::usesRedis))
                .containsExactly(JamesVariant.MSA4JAMES_REDIS);
        }
    }

    @Nested
    class Levers {
        @Test
        void noAuthCacheShouldTurnTheCacheOffOnBothSubmissionListenersOnly() throws IOException {
            String before = Files.readString(conf.resolve("smtpserver.xml"), UTF_8);

            JamesVariant.MSA4JAMES_NO_AUTH_CACHE.transform(conf);

            assertThat(Files.readString(conf.resolve("smtpserver.xml"), UTF_8))
                .isEqualTo(before.replace("<authCacheTtl>5m</authCacheTtl>", "<authCacheTtl>0</authCacheTtl>"))
                .isNotEqualTo(before);
        }

        @Test
        void rsaOnlyShouldWriteAKeystoreWithOneRsaKeyAndItsPrivatePassword() throws Exception {
            JamesVariant.MSA4JAMES_RSA_ONLY.transform(conf);

            char[] secret = Files.readString(conf.resolve("keystore.secret"), UTF_8).trim().toCharArray();
            java.security.KeyStore keyStore = java.security.KeyStore.getInstance("PKCS12");
            try (java.io.InputStream in = Files.newInputStream(conf.resolve("keystore.p12"))) {
                keyStore.load(in, secret);
            }
            assertThat(java.util.Collections.list(keyStore.aliases())).containsExactly("msa4james");
            assertThat(keyStore.getCertificate("msa4james").getPublicKey().getAlgorithm()).isEqualTo("RSA");
            assertThat(Files.getPosixFilePermissions(conf.resolve("keystore.secret")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }

        @Test
        void spillShouldOnlySetJamesDefaultThresholdThroughJavaOpts() throws IOException {
            String before = Files.readString(conf.resolve("smtpserver.xml"), UTF_8);

            JamesVariant.MSA4JAMES_SPILL.transform(conf);

            assertThat(Files.readString(conf.resolve("smtpserver.xml"), UTF_8)).isEqualTo(before);
            assertThat(JamesVariant.MSA4JAMES_SPILL.environment())
                .isEqualTo(java.util.Map.of("JAVA_OPTS", "-Djames.message.memory.threshold=100KiB"));
        }

        @Test
        void jdkSignaturesShouldOnlySetTheRsaSigningThroughTheEnvironment() throws IOException {
            String before = Files.readString(conf.resolve("mailetcontainer.xml"), UTF_8);

            JamesVariant.MSA4JAMES_JDK_SIGNATURES.transform(conf);

            assertThat(Files.readString(conf.resolve("mailetcontainer.xml"), UTF_8)).isEqualTo(before);
            assertThat(JamesVariant.MSA4JAMES_JDK_SIGNATURES.environment()).isEqualTo(java.util.Map.of("MSA_SIGNATURES", "jdk"));
        }
    }

    @Nested
    class JvmLevers {
        private static final String BENCHMARK = "-Xms512m -Xmx512m -XX:StartFlightRecording=filename=a.jfr";

        @Test
        void theShippedVariantsShouldRunWithTheBenchmarkOptions() {
            assertThat(JamesVariant.MSA4JAMES.javaOpts(BENCHMARK)).isEqualTo(BENCHMARK);
            assertThat(JamesVariant.PLAIN.javaOpts(BENCHMARK)).isEqualTo(BENCHMARK);
        }

        @Test
        void defaultHeapShouldDropOnlyTheHeapSize() {
            assertThat(JamesVariant.MSA4JAMES_DEFAULT_HEAP.javaOpts(BENCHMARK)).isEqualTo("-XX:StartFlightRecording=filename=a.jfr");
            assertThat(JamesVariant.MSA4JAMES_DEFAULT_HEAP.javaOpts(JamesProcess.DEFAULT_JAVA_OPTS)).isEmpty();
        }

        @Test
        void collectorVariantsShouldSetOnlyTheCollector() {
            assertThat(JamesVariant.MSA4JAMES_G1.javaOpts(BENCHMARK))
                .isEqualTo("-Xms512m -Xmx512m -XX:StartFlightRecording=filename=a.jfr -XX:+UseG1GC");
            assertThat(JamesVariant.MSA4JAMES_PARALLEL_GC.javaOpts("-XX:+UseZGC -Xmx1g"))
                .isEqualTo("-Xmx1g -XX:+UseParallelGC");
            assertThat(JamesVariant.MSA4JAMES_PARALLEL_GC.javaOpts("")).isEqualTo("-XX:+UseParallelGC");
        }

        @Test
        void smallHeapVariantShouldReplaceOnlyTheHeapSize() {
            assertThat(JamesVariant.MSA4JAMES_HEAP_128M.javaOpts(BENCHMARK))
                .isEqualTo("-Xms128m -Xmx128m -XX:StartFlightRecording=filename=a.jfr");
        }

        @Test
        void jvmLeversShouldLeaveTheShippedConfAsItIs() throws IOException {
            String before = Files.readString(conf.resolve("mailetcontainer.xml"), UTF_8) + Files.readString(conf.resolve("smtpserver.xml"), UTF_8);

            for (JamesVariant variant : List.of(JamesVariant.MSA4JAMES_DEFAULT_HEAP, JamesVariant.MSA4JAMES_G1,
                    JamesVariant.MSA4JAMES_PARALLEL_GC, JamesVariant.MSA4JAMES_HEAP_128M)) {
                variant.transform(conf);
                assertThat(variant.environment()).isEmpty();
            }

            assertThat(Files.readString(conf.resolve("mailetcontainer.xml"), UTF_8) + Files.readString(conf.resolve("smtpserver.xml"), UTF_8))
                .isEqualTo(before);
        }
    }

    @Nested
    class FewThreads {
        @Test
        void transformShouldLowerEveryThreadCountAndNothingElse() throws IOException {
            JamesVariant.MSA4JAMES_FEW_THREADS.transform(conf);

            String mailets = Files.readString(conf.resolve("mailetcontainer.xml"), UTF_8);
            assertThat(mailets).contains("<threads>4</threads>", "<deliveryThreads>4</deliveryThreads>")
                .doesNotContain("<threads>20</threads>", "<deliveryThreads>10</deliveryThreads>");
            Document smtp = JamesVariant.parse(conf.resolve("smtpserver.xml"));
            NodeList servers = smtp.getDocumentElement().getElementsByTagName("smtpserver");
            assertThat(servers.getLength()).isEqualTo(3);
            for (int i = 0; i < servers.getLength(); i++) {
                Element server = (Element) servers.item(i);
                assertThat(server.getElementsByTagName("ioWorkerCount").item(0).getTextContent()).isEqualTo("2");
                assertThat(server.getElementsByTagName("maxExecutorCount").item(0).getTextContent()).isEqualTo("4");
            }
            assertThat(JamesVariant.MSA4JAMES_FEW_THREADS.environment()).isEmpty();
            assertThat(JamesVariant.MSA4JAMES_FEW_THREADS.javaOpts(JamesProcess.DEFAULT_JAVA_OPTS)).isEqualTo(JamesProcess.DEFAULT_JAVA_OPTS);
        }
    }

    @Nested
    class WithoutDkim {
        @Test
        void transformShouldRemoveOnlyDkimSignAndPrepareForSigning() throws IOException {
            List<String> before = mailetClasses("submission");

            JamesVariant.MSA4JAMES_NODKIM.transform(conf);

            List<String> expected = new ArrayList<>(before);
            expected.remove("org.apache.james.jdkim.mailets.DKIMSign");
            expected.remove("org.msa4james.mailet.PrepareForSigning");
            assertThat(before).contains("org.apache.james.jdkim.mailets.DKIMSign", "org.msa4james.mailet.PrepareForSigning");
            assertThat(mailetClasses("submission")).isEqualTo(expected);
        }
    }

    @Nested
    class EmptySteps {
        @Test
        void transformShouldReplaceEachMsa4jamesMailetByAnEmptyStepInPlace() throws IOException {
            List<String> before = mailetClasses("submission");

            JamesVariant.MSA4JAMES_EMPTY_STEPS.transform(conf);

            List<String> expected = new ArrayList<>();
            for (String mailet : before) {
                if (mailet.equals("org.apache.james.jdkim.mailets.DKIMSign") || mailet.equals("org.msa4james.mailet.PrepareForSigning")) {
                    continue;
                }
                expected.add(mailet.startsWith("org.msa4james.") ? "SetMailAttribute" : mailet);
            }
            assertThat(before).contains("org.msa4james.mailet.CompleteSubmission");
            assertThat(mailetClasses("submission")).isEqualTo(expected);
        }
    }

    @Nested
    class Plain {
        @Test
        void transformShouldLeaveNoReferenceToTheExtensionOutsideComments() throws IOException {
            JamesVariant.PLAIN.transform(conf);

            for (String file : List.of("smtpserver.xml", "mailetcontainer.xml")) {
                Document document = JamesVariant.parse(conf.resolve(file));
                NodeList all = document.getElementsByTagName("*");
                for (int i = 0; i < all.getLength(); i++) {
                    Element element = (Element) all.item(i);
                    for (int a = 0; a < element.getAttributes().getLength(); a++) {
                        assertThat(element.getAttributes().item(a).getNodeValue()).as(file).doesNotContain("org.msa4james");
                    }
                }
            }
            for (String file : List.of("extensions.properties", "webadmin.properties")) {
                assertThat(Files.readAllLines(conf.resolve(file), UTF_8))
                    .as(file)
                    .filteredOn(line -> !line.trim().startsWith("#"))
                    .noneMatch(line -> line.contains("org.msa4james"));
            }
        }

        @Test
        void transformShouldRouteRootToTransportWithoutASubmissionProcessor() throws IOException {
            JamesVariant.PLAIN.transform(conf);

            assertThat(processorStates()).doesNotContain("submission").contains("root", "transport", "relay");
            assertThat(mailetClasses("root")).containsExactly("PostmasterAlias", "Null", "ToProcessor");
        }

        @Test
        void transformShouldUseJamesOwnDeliveryAndBouncesAndNoDsn() throws IOException {
            JamesVariant.PLAIN.transform(conf);

            assertThat(processorStates()).doesNotContain("delayed", "relayed");
            assertThat(mailetClasses("relay")).containsExactly("RemoteDelivery");
            assertThat(mailetClasses("local-delivery")).endsWith("AddDeliveredToHeader", "LocalDelivery");
            assertThat(mailetClasses("bounces")).containsExactly("MetricsMailet", "DSNBounce");
            assertThat(mailetClasses("error")).containsExactly("MetricsMailet", "Bounce", "ToRepository");
            String relay = Files.readString(conf.resolve("mailetcontainer.xml"), UTF_8);
            assertThat(relay).doesNotContain("<delayedProcessor>", "<relayedProcessor>", "<reportingMta>");
            assertThat(Files.readString(conf.resolve("smtpserver.xml"), UTF_8)).doesNotContain("class=\"org.apache.james.smtpserver.dsn.");
        }

        @Test
        void transformShouldKeepJamesOwnSubmissionRules() throws IOException {
            JamesVariant.PLAIN.transform(conf);

            Document document = JamesVariant.parse(conf.resolve("smtpserver.xml"));
            NodeList servers = document.getElementsByTagName("smtpserver");
            int submissionListeners = 0;
            for (int i = 0; i < servers.getLength(); i++) {
                Element server = (Element) servers.item(i);
                String name = text(server, "jmxName");
                if (name.startsWith("smtpserver-submission")) {
                    submissionListeners++;
                    assertThat(text(server, "announce")).as(name).isEqualTo("always");
                    assertThat(text(server, "requireSSL")).as(name).isEqualTo("true");
                    assertThat(text(server, "verifyIdentity")).as(name).isEqualTo("true");
                    assertThat(server.getElementsByTagName("authorizedAddresses").getLength()).as(name).isZero();
                    assertThat(server.getElementsByTagName("handler").getLength()).as(name).isPositive();
                }
            }
            assertThat(submissionListeners).isEqualTo(2);
        }

        @Test
        void transformShouldFailNamingTheFileWhenTheConfNoLongerHasWhatItRemoves() throws IOException {
            JamesVariant.PLAIN.transform(conf);

            assertThatThrownBy(() -> JamesVariant.PLAIN.transform(conf))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("smtpserver.xml");
        }
    }

    @Test
    void byNameShouldNameTheVariantsWhenUnknown() {
        assertThat(JamesVariant.byName("msa4james-nodkim")).isEqualTo(JamesVariant.MSA4JAMES_NODKIM);
        assertThatThrownBy(() -> JamesVariant.byName("other"))
            .hasMessage("unknown variant 'other'; one of msa4james, msa4james-memory, msa4james-redis, msa4james-no-auth-cache, msa4james-rsa-only, msa4james-spill, msa4james-jdk-signatures, msa4james-default-heap, msa4james-g1, msa4james-few-threads, msa4james-parallel-gc, msa4james-heap-128m, msa4james-nodkim, msa4james-empty-steps, plain");
    }

    @Test
    void roundOrderShouldAlternateAndRotate() {
        JamesVariant a = JamesVariant.MSA4JAMES;
        JamesVariant r = JamesVariant.MSA4JAMES_REDIS;
        JamesVariant aNoDkim = JamesVariant.MSA4JAMES_NODKIM;
        JamesVariant emptySteps = JamesVariant.MSA4JAMES_EMPTY_STEPS;
        JamesVariant b = JamesVariant.PLAIN;

        List<JamesVariant> variants = List.of(a, r, aNoDkim, emptySteps, b);
        assertThat(SideBySideMain.roundOrder(variants, 0)).containsExactly(a, r, aNoDkim, emptySteps, b);
        assertThat(SideBySideMain.roundOrder(variants, 1)).containsExactly(b, emptySteps, aNoDkim, r, a);
        assertThat(SideBySideMain.roundOrder(variants, 2)).containsExactly(r, aNoDkim, emptySteps, b, a);
        assertThat(SideBySideMain.roundOrder(variants, 3)).containsExactly(a, b, emptySteps, aNoDkim, r);
    }

    @Test
    void parseSizeShouldReadBytesKibAndMib() {
        assertThat(LoadRunMain.parseSize("512")).isEqualTo(512);
        assertThat(LoadRunMain.parseSize("1KiB")).isEqualTo(1024);
        assertThat(LoadRunMain.parseSize("100KiB")).isEqualTo(102_400);
        assertThat(LoadRunMain.parseSize("2MiB")).isEqualTo(2 * 1024 * 1024);
        assertThatThrownBy(() -> LoadRunMain.parseSize("1 GB")).isInstanceOf(IllegalArgumentException.class);
    }

    private List<String> mailetClasses(String state) throws IOException {
        Document document = JamesVariant.parse(conf.resolve("mailetcontainer.xml"));
        NodeList processors = document.getElementsByTagName("processor");
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < processors.getLength(); i++) {
            Element processor = (Element) processors.item(i);
            if (state.equals(processor.getAttribute("state"))) {
                NodeList mailets = processor.getElementsByTagName("mailet");
                for (int m = 0; m < mailets.getLength(); m++) {
                    classes.add(((Element) mailets.item(m)).getAttribute("class"));
                }
            }
        }
        return classes;
    }

    private List<String> processorStates() throws IOException {
        NodeList processors = JamesVariant.parse(conf.resolve("mailetcontainer.xml")).getElementsByTagName("processor");
        List<String> states = new ArrayList<>();
        for (int i = 0; i < processors.getLength(); i++) {
            states.add(((Element) processors.item(i)).getAttribute("state"));
        }
        return states;
    }

    private static String text(Element parent, String tag) {
        NodeList found = parent.getElementsByTagName(tag);
        return found.getLength() == 0 ? "" : found.item(0).getTextContent().trim();
    }
}
