package org.msa4james.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Consistency of the James configuration that msa4james ships (james-conf/src/main/conf), read as an administrator
 * gets it, without starting James: every class it names exists, every processor it routes to is defined, and the
 * listeners are wired as the design says (submission rules on 587 and 465 only, before James's own handlers; no
 * network allowed to relay without authentication; TLS 1.2+ with the shipped keystore).
 */
class ShippedConfigurationTest {
    private static final String OUR_PACKAGE = "org.msa4james.";
    private static final String STANDARD_MAILETS = "org.apache.james.transport.mailets.";
    private static final String STANDARD_MATCHERS = "org.apache.james.transport.matchers.";

    private static final String MX = "smtpserver-mx";
    private static final String SUBMISSION = "smtpserver-submission";
    private static final String SUBMISSIONS = "smtpserver-submissions";

    private static final String REQUIRE_TLS_FOR_AUTH = "org.msa4james.smtp.RequireTlsForAuthCmdHandler";
    private static final String LOCAL_POSTMASTER = "org.msa4james.smtp.LocalPostmasterRcptHook";
    private static final String HEADER_CHECK = "org.msa4james.smtp.HeaderCheckHook";
    private static final String LINE_LENGTH_GUARD = "org.msa4james.smtp.LineLengthGuard";
    private static final String NOT_TLS_GUARD = "org.msa4james.smtp.NotTlsGuard";
    private static final String STORAGE_GUARD = "org.msa4james.smtp.StorageGuard";
    private static final String DSN_PARAMETERS = "org.msa4james.smtp.DsnParameterHandler";
    private static final String AUTH_CACHE = "org.msa4james.smtp.AuthCacheHook";
    private static final String DSN_EHLO = "org.apache.james.smtpserver.dsn.DSNEhloHook";
    private static final String SEND_DELIVERY_REPORT = "org.msa4james.mailet.SendDeliveryReport";
    private static final List<String> SUBMISSION_HANDLERS = List.of(
        REQUIRE_TLS_FOR_AUTH,
        NOT_TLS_GUARD,
        "org.msa4james.smtp.AuthFailureLimitHandler",
        AUTH_CACHE,
        "org.msa4james.smtp.RecipientSyntaxCmdHandler",
        DSN_PARAMETERS,
        "org.msa4james.smtp.RequireAuthenticationHook",
        "org.msa4james.smtp.QualifiedEnvelopeHook",
        "org.msa4james.smtp.SenderEntitlementHook",
        "org.msa4james.smtp.RecipientLimitHook",
        LINE_LENGTH_GUARD,
        HEADER_CHECK,
        "org.msa4james.smtp.SendingRateLimitHook",
        STORAGE_GUARD,
        "org.msa4james.smtp.RefusalLogHandler",
        "org.msa4james.smtp.SubmissionMarkHook",
        LOCAL_POSTMASTER);
    /** The session rules of RFC 6409, which apply to the submission listeners only. */
    private static final List<String> SUBMISSION_ONLY_HANDLERS = SUBMISSION_HANDLERS.stream()
        .filter(className -> !className.equals(REQUIRE_TLS_FOR_AUTH) && !className.equals(LOCAL_POSTMASTER)
            && !className.equals(LINE_LENGTH_GUARD) && !className.equals(NOT_TLS_GUARD) && !className.equals(STORAGE_GUARD)
            && !className.equals(DSN_PARAMETERS))
        .collect(Collectors.toList());

    /** Values of onMailetException / onMatchException that are not processor names. */
    private static final Set<String> NON_PROCESSOR_TARGETS = Set.of("ignore", "propagate", "nomatch", "matchall");
    /** Mailet parameters whose value is the name of a processor. */
    private static final Set<String> PROCESSOR_PARAMETERS = Set.of(
        "processor", "errorProcessor", "bounceProcessor", "onSuccess", "onMailetException", "onMatchException",
        "delayedProcessor", "relayedProcessor");
    /** States James handles without a processor element. */
    private static final Set<String> IMPLICIT_STATES = Set.of("ghost");

    private static Document smtpServer;
    private static Document imapServer;
    private static Document mailetContainer;

    @BeforeAll
    static void parseShippedConfiguration() throws Exception {
        smtpServer = parse("smtpserver.xml");
        imapServer = parse("imapserver.xml");
        mailetContainer = parse("mailetcontainer.xml");
    }

    @Nested
    class Storage {
        @Test
        void everyListenerShouldRefuseMailTheDataDirectoryCannotKeep() {
            for (Element listener : elements(smtpServer.getDocumentElement(), "smtpserver")) {
                assertThat(handlerClasses(listener)).as(name(listener)).contains(STORAGE_GUARD);
                assertThat(handlerParameter(listener, STORAGE_GUARD, "minimumFreeSpace")).as(name(listener))
                    .contains("${sys:msa.min.free.space}");
                assertThat(handlerParameter(listener, STORAGE_GUARD, "directory")).as(name(listener)).isEmpty();
            }
        }

        @Test
        void everyMailRepositoryShouldBeAFileRepositoryInTheDataDirectory() throws Exception {
            List<String> repositories = new ArrayList<>();
            text(mailetContainer.getDocumentElement(), "spooler", "errorRepository").ifPresent(repositories::add);
            for (Element processor : processors()) {
                for (Element mailet : elements(processor, "mailet")) {
                    parameter(mailet, "repositoryPath").ifPresent(repositories::add);
                }
            }

            assertThat(repositories).isNotEmpty().allSatisfy(url -> assertThat(url).matches("file://var/mail/[a-z-]+/"));
            Document store = parse("mailrepositorystore.xml");
            assertThat(text(store.getDocumentElement(), "defaultProtocol")).contains("file");
            assertThat(child(store.getDocumentElement(), "mailrepositories").map(list -> elements(list, "mailrepository")).orElseThrow())
                .extracting(repository -> repository.getAttribute("class"))
                .containsExactly("org.apache.james.mailrepository.file.FileMailRepository");
        }
    }

    @Nested
    class NamedClasses {
        @Test
        void everySmtpHandlerClassShouldExistOnTheClasspath() {
            List<String> handlers = descendants(smtpServer.getDocumentElement(), "handler").stream()
                .map(handler -> handler.getAttribute("class"))
                .collect(Collectors.toList());

            assertThat(handlers).isNotEmpty().doesNotContain("");
            assertThat(handlers).allSatisfy(className ->
                assertThat(loadable(className)).as("handler class %s", className).isPresent());
        }

        @Test
        void everyMatcherShouldResolveToAMatcherClass() throws Exception {
            Class<?> matcherType = Class.forName("org.apache.mailet.Matcher");
            for (Element processor : processors()) {
                Set<String> compositeNames = compositeMatcherNames(processor);
                List<Element> matchers = new ArrayList<>(elements(processor, "mailet"));
                matchers.addAll(descendants(processor, "matcher"));
                for (Element element : matchers) {
                    String match = element.getAttribute("match");
                    String matcherName = match.split("=", 2)[0].trim();
                    if (element.getTagName().equals("mailet") && compositeNames.contains(matcherName)) {
                        continue;
                    }
                    String className = resolve(matcherName, STANDARD_MATCHERS);
                    assertThat(loadable(className))
                        .as("matcher '%s' in processor %s (class %s)", match, processor.getAttribute("state"), className)
                        .hasValueSatisfying(type -> assertThat(matcherType.isAssignableFrom(type)).isTrue());
                }
            }
        }

        @Test
        void everyMailetShouldResolveToAMailetClass() throws Exception {
            Class<?> mailetType = Class.forName("org.apache.mailet.Mailet");
            for (Element processor : processors()) {
                for (Element mailet : elements(processor, "mailet")) {
                    String className = resolve(mailet.getAttribute("class"), STANDARD_MAILETS);
                    assertThat(loadable(className))
                        .as("mailet '%s' in processor %s", className, processor.getAttribute("state"))
                        .hasValueSatisfying(type -> assertThat(mailetType.isAssignableFrom(type)).isTrue());
                }
            }
        }
    }

    @Nested
    class Processors {
        @Test
        void everyProcessorAMailetRoutesToShouldBeDefined() {
            Set<String> defined = processors().stream()
                .map(processor -> processor.getAttribute("state"))
                .collect(Collectors.toSet());

            List<String> routes = new ArrayList<>();
            for (Element processor : processors()) {
                for (Element mailet : elements(processor, "mailet")) {
                    for (Element parameter : children(mailet)) {
                        if (PROCESSOR_PARAMETERS.contains(parameter.getTagName())) {
                            String target = parameter.getTextContent().trim();
                            if (!NON_PROCESSOR_TARGETS.contains(target.toLowerCase(Locale.ROOT))
                                    && !IMPLICIT_STATES.contains(target)) {
                                routes.add(processor.getAttribute("state") + " -> " + target);
                                assertThat(defined)
                                    .as("processor '%s' named by %s of mailet %s in processor %s", target,
                                        parameter.getTagName(), mailet.getAttribute("class"), processor.getAttribute("state"))
                                    .contains(target);
                            }
                        }
                    }
                }
            }
            assertThat(routes).contains("root -> submission", "submission -> transport", "relay -> bounces", "relay -> delayed",
                "relay -> relayed", "local-delivery -> error");
        }

        @Test
        void rootAndErrorProcessorsShouldBeDefined() {
            assertThat(processors()).extracting(processor -> processor.getAttribute("state"))
                .contains("root", "error", "transport", "submission")
                .doesNotHaveDuplicates();
        }

        @Test
        void transportShouldRemoveBccHeadersAsJamesRequires() {
            Element transport = processor("transport");

            assertThat(elements(transport, "mailet"))
                .anySatisfy(mailet -> {
                    assertThat(mailet.getAttribute("match")).isEqualTo("All");
                    assertThat(mailet.getAttribute("class")).isEqualTo("RemoveMimeHeader");
                    assertThat(parameter(mailet, "name")).contains("bcc");
                });
        }

        @Test
        void rootShouldRouteSubmissionsBeforeAnyMailetThatMayEditTheHeader() {
            List<Element> rootMailets = elements(processor("root"), "mailet");
            int routing = IntStream.range(0, rootMailets.size())
                .filter(index -> rootMailets.get(index).getAttribute("match").equals("org.msa4james.matcher.IsSubmission"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("root has no IsSubmission routing"));

            assertThat(rootMailets.get(routing).getAttribute("class")).isEqualTo("ToProcessor");
            assertThat(parameter(rootMailets.get(routing), "processor")).contains("submission");
            assertThat(rootMailets.subList(0, routing))
                .extracting(mailet -> mailet.getAttribute("class"))
                .as("mailets before the submission routing (none may edit the header)")
                .isSubsetOf("PostmasterAlias", "Null");
        }

        @Test
        void submittedMailShouldBeAllowedToRelay() {
            Element relayAllowed = elements(processor("transport"), "matcher").stream()
                .filter(matcher -> matcher.getAttribute("name").equals("relay-allowed"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("transport has no relay-allowed matcher"));

            assertThat(elements(relayAllowed, "matcher"))
                .extracting(matcher -> matcher.getAttribute("match"))
                .contains("SMTPAuthSuccessful", "org.msa4james.matcher.IsSubmission");
        }

        @Test
        void remoteDeliveryShouldTakeItsGatewayFromTheSystemProperty() {
            Element remoteDelivery = elements(processor("relay"), "mailet").stream()
                .filter(mailet -> mailet.getAttribute("class").equals("org.msa4james.mailet.DeliverToNextHop"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("relay has no DeliverToNextHop"));

            assertThat(parameter(remoteDelivery, "gateway")).contains("${sys:msa.relay.gateway}");
            assertThat(parameter(remoteDelivery, "bounceProcessor")).contains("bounces");
            assertThat(parameter(remoteDelivery, "delayedProcessor")).contains("delayed");
            assertThat(parameter(remoteDelivery, "relayedProcessor")).contains("relayed");
            assertThat(parameter(remoteDelivery, "delayTime")).contains("${sys:msa.relay.delay.time}");
            assertThat(parameter(remoteDelivery, "maxRetries")).contains("22");
        }

        @Test
        void everyReportShouldBeAnRfc3464ReportNamingThePublicHostName() {
            List<String> classes = processors().stream()
                .flatMap(processor -> elements(processor, "mailet").stream())
                .map(mailet -> mailet.getAttribute("class"))
                .collect(Collectors.toList());
            assertThat(classes).as("James's bounces name the machine's host and ignore NOTIFY")
                .doesNotContain("Bounce", "DSNBounce", "NotifySender", "NotifyPostmaster", "RemoteDelivery", "LocalDelivery");

            Map<String, String> reports = new java.util.TreeMap<>();
            for (Element processor : processors()) {
                for (Element mailet : elements(processor, "mailet")) {
                    if (mailet.getAttribute("class").equals(SEND_DELIVERY_REPORT)) {
                        assertThat(parameter(mailet, "reportingMta")).contains("${sys:msa.hostname}");
                        reports.put(processor.getAttribute("state"), parameter(mailet, "action").orElseThrow()
                            + parameter(mailet, "status").map(status -> " " + status).orElse(""));
                    }
                }
            }
            assertThat(reports).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                "bounces", "failed",
                "delayed", "delayed",
                "relayed", "relayed",
                "local-delivery", "delivered",
                "error", "failed 5.3.0",
                "local-address-error", "failed 5.1.1",
                "relay-denied", "failed 5.7.1",
                "rrt-error", "failed 5.3.0")));
        }
    }

    @Nested
    class SubmissionProcessor {
        @Test
        void shouldCompleteAndConcealInOneStepFirstWithTheSiteSettings() {
            Element complete = elements(processor("submission"), "mailet").get(0);

            assertThat(complete.getAttribute("class")).isEqualTo("org.msa4james.mailet.CompleteSubmission");
            assertThat(complete.getAttribute("match")).isEqualTo("All");
            assertThat(parameter(complete, "domainExpansions")).contains("${sys:msa.domain.expansions}");
            assertThat(parameter(complete, "rewriteMap")).contains("${sys:msa.rewrite.map}");
            assertThat(parameter(complete, "traceKey")).contains("${sys:msa.trace.key}");
            assertThat(parameter(complete, "hideClientInTrace")).contains("true");
            assertThat(parameter(complete, "timeZone")).contains("UTC");
        }
    }

    @Nested
    class DkimSigning {
        private static final String DKIM_SIGN = "org.apache.james.jdkim.mailets.DKIMSign";

        @Test
        void submissionShouldEndByRemovingBccThenSigningThenGoingToTransport() {
            List<Element> mailets = elements(processor("submission"), "mailet");
            List<String> classes = mailets.stream().map(mailet -> mailet.getAttribute("class")).collect(Collectors.toList());
            int count = classes.size();

            assertThat(count).isGreaterThanOrEqualTo(4);
            assertThat(classes.subList(count - 4, count))
                .as("the end of the submission processor: nothing may change the header or the body after DKIMSign")
                .containsExactly("RemoveMimeHeader", "org.msa4james.mailet.PrepareForSigning", DKIM_SIGN, "ToProcessor");
            assertThat(parameter(mailets.get(count - 4), "name")).contains("bcc");
            assertThat(mailets.get(count - 4).getAttribute("match")).isEqualTo("All");
            assertThat(mailets.get(count - 3).getAttribute("match")).isEqualTo("All");
            assertThat(mailets.get(count - 1).getAttribute("match")).isEqualTo("All");
            assertThat(parameter(mailets.get(count - 1), "processor")).contains("transport");
            assertThat(classes.subList(0, count - 4)).doesNotContain(DKIM_SIGN, "ToProcessor");
        }

        @Test
        void dkimSignShouldSignMailOfTheDefaultDomainWithItsKeyFromConfDkim() {
            Element sign = elements(processor("submission"), "mailet").stream()
                .filter(mailet -> mailet.getAttribute("class").equals(DKIM_SIGN))
                .findFirst()
                .orElseThrow(() -> new AssertionError("submission has no DKIMSign"));

            assertThat(sign.getAttribute("match")).isEqualTo("SenderHostIs=${sys:msa.default.domain}");
            assertThat(parameter(sign, "signatureTemplate")).contains("v=1; s=${sys:msa.dkim.selector}; d=${sys:msa.default.domain}; "
                + "h=from:from:sender:reply-to:subject:date:message-id:to:cc:mime-version:content-type:content-transfer-encoding:"
                + "in-reply-to:references; a=rsa-sha256; c=relaxed/relaxed; bh=; b=;");
            assertThat(parameter(sign, "privateKeyFilepath")).contains("dkim/${sys:msa.default.domain}.pem");
            assertThat(children(sign)).extracting(Element::getTagName)
                .as("parameters of DKIMSign (no inline privateKey in the shipped file)")
                .containsExactlyInAnyOrder("signatureTemplate", "privateKeyFilepath");
        }

        @Test
        void theShippedConfigurationShouldHoldNoPrivateKey() {
            Path shippedKeys = Path.of(System.getProperty("basedir", "."), "..", "james-conf", "src", "main", "conf", "dkim");

            assertThat(shippedKeys).as("every site generates its own key at the first start").doesNotExist();
        }
    }

    @Nested
    class SubmissionListeners {
        @ParameterizedTest
        @ValueSource(strings = {SUBMISSION, SUBMISSIONS})
        void ourHandlersShouldComeBeforeAnyJamesHandler(String jmxName) {
            List<String> handlers = handlerClasses(smtpListener(jmxName));
            int lastOurs = lastIndexOf(handlers, className -> className.startsWith(OUR_PACKAGE));
            int firstJames = firstIndexOf(handlers, className -> !className.startsWith(OUR_PACKAGE));

            assertThat(lastOurs).as("handlers of %s: %s", jmxName, handlers).isGreaterThanOrEqualTo(0);
            if (firstJames >= 0) {
                assertThat(lastOurs).as("handlers of %s: %s", jmxName, handlers).isLessThan(firstJames);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {SUBMISSION, SUBMISSIONS})
        void shouldCarryEverySubmissionRuleInOrder(String jmxName) {
            List<String> ours = handlerClasses(smtpListener(jmxName)).stream()
                .filter(className -> className.startsWith(OUR_PACKAGE))
                .collect(Collectors.toList());

            assertThat(ours).containsExactlyElementsOf(SUBMISSION_HANDLERS);
        }

        @Test
        void shouldMarkSubmissionsWithTheirListenerName() {
            assertThat(handlerParameter(smtpListener(SUBMISSION), "org.msa4james.smtp.SubmissionMarkHook", "listenerName"))
                .contains("submission");
            assertThat(handlerParameter(smtpListener(SUBMISSIONS), "org.msa4james.smtp.SubmissionMarkHook", "listenerName"))
                .contains("submissions");
        }

        @ParameterizedTest
        @ValueSource(strings = {SUBMISSION, SUBMISSIONS})
        void shouldLimitAbuseWithTheDocumentedDefaults(String jmxName) {
            Element listener = smtpListener(jmxName);
            String authLimit = "org.msa4james.smtp.AuthFailureLimitHandler";
            String sendingLimit = "org.msa4james.smtp.SendingRateLimitHook";

            assertThat(handlerParameter(listener, authLimit, "maxAuthFailures")).contains("5");
            assertThat(handlerParameter(listener, authLimit, "authFailureWindow")).contains("10m");
            assertThat(handlerParameter(listener, authLimit, "maxSessionAuthFailures")).contains("3");
            assertThat(handlerParameter(listener, AUTH_CACHE, "authCacheTtl")).contains("5m");
            assertThat(handlerParameter(listener, AUTH_CACHE, "authCacheMaxEntries")).contains("10000");
            assertThat(handlerParameter(listener, sendingLimit, "maxMessagesPerHour")).contains("500");
            assertThat(handlerParameter(listener, sendingLimit, "maxRecipientsPerHour")).contains("2000");
            assertThat(handlerParameter(listener, sendingLimit, "overrides")).contains("${sys:msa.sending.overrides}");
            assertThat(handlerParameter(listener, "org.msa4james.smtp.RefusalLogHandler", "listenerName"))
                .contains(jmxName.equals(SUBMISSION) ? "submission" : "submissions");
            assertThat(text(listener, "connectionLimit")).contains("500");
            assertThat(text(listener, "connectionLimitPerIP")).contains("20");
        }

        @ParameterizedTest
        @ValueSource(strings = {SUBMISSION, SUBMISSIONS})
        void shouldTakeSiteSettingsFromSystemProperties(String jmxName) {
            Element listener = smtpListener(jmxName);

            assertThat(handlerParameter(listener, "org.msa4james.smtp.RequireAuthenticationHook", "trustedNetworks"))
                .contains("${sys:msa.trusted.networks}");
            assertThat(handlerParameter(listener, "org.msa4james.smtp.RequireAuthenticationHook", "postmasterWithoutAuthentication"))
                .contains("${sys:msa.postmaster.without.auth}");
            assertThat(handlerParameter(listener, "org.msa4james.smtp.QualifiedEnvelopeHook", "domainExpansions"))
                .contains("${sys:msa.domain.expansions}");
            assertThat(handlerParameter(listener, "org.msa4james.smtp.RecipientLimitHook", "maxRecipients"))
                .contains("${sys:msa.max.recipients}");
            assertThat(handlerParameter(listener, HEADER_CHECK, "domainExpansions"))
                .contains("${sys:msa.domain.expansions}");
        }

        @ParameterizedTest
        @ValueSource(strings = {SUBMISSION, SUBMISSIONS})
        void shouldCheckTheHeaderWithTheEnvelopeRulesAndTheFromEntitlementOn(String jmxName) {
            Element listener = smtpListener(jmxName);

            assertThat(handlerParameter(listener, HEADER_CHECK, "additionalTopLevelDomains"))
                .isEqualTo(handlerParameter(listener, "org.msa4james.smtp.QualifiedEnvelopeHook", "additionalTopLevelDomains"));
            assertThat(handlerParameter(listener, HEADER_CHECK, "checkFromEntitlement")).contains("true");
        }

        @ParameterizedTest
        @ValueSource(strings = {SUBMISSION, SUBMISSIONS})
        void shouldAnnounceAuthOnlyOverTlsAndLeaveTheSenderCheckToUs(String jmxName) {
            Element listener = smtpListener(jmxName);

            assertThat(text(listener, "auth", "announce")).contains("always");
            assertThat(text(listener, "auth", "requireSSL")).contains("true");
            assertThat(text(listener, "verifyIdentity")).contains("false");
        }

        @Test
        void port587ShouldUseStartTlsAndPort465ImplicitTls() {
            Element submissionTls = child(smtpListener(SUBMISSION), "tls").orElseThrow();
            Element submissionsTls = child(smtpListener(SUBMISSIONS), "tls").orElseThrow();

            assertThat(submissionTls.getAttribute("startTLS")).isEqualTo("true");
            assertThat(submissionTls.getAttribute("socketTLS")).isEqualTo("false");
            assertThat(submissionsTls.getAttribute("socketTLS")).isEqualTo("true");
            assertThat(submissionsTls.getAttribute("startTLS")).isEqualTo("false");
        }
    }

    @Nested
    class MxListener {
        @Test
        void shouldRefuseCleartextAuthFirst() {
            assertThat(handlerClasses(smtpListener(MX))).first().isEqualTo(REQUIRE_TLS_FOR_AUTH);
        }

        @Test
        void shouldNotCarryTheSubmissionRules() {
            assertThat(handlerClasses(smtpListener(MX)))
                .doesNotContainAnyElementsOf(SUBMISSION_ONLY_HANDLERS)
                .filteredOn(className -> className.startsWith(OUR_PACKAGE))
                .containsExactly(REQUIRE_TLS_FOR_AUTH, LINE_LENGTH_GUARD, NOT_TLS_GUARD, STORAGE_GUARD, DSN_PARAMETERS, LOCAL_POSTMASTER);
        }

        @Test
        void shouldAcceptTheLocalPostmasterBeforeJamesChecksThatTheUserExists() {
            List<String> handlers = handlerClasses(smtpListener(MX));

            assertThat(handlers.indexOf(LOCAL_POSTMASTER))
                .isLessThan(handlers.indexOf("org.apache.james.smtpserver.fastfail.ValidRcptHandler"));
        }

        @Test
        void shouldNotAnnounceAuth() {
            assertThat(text(smtpListener(MX), "auth", "announce")).contains("never");
            assertThat(text(smtpListener(MX), "auth", "requireSSL")).contains("true");
        }
    }

    @Nested
    class AllListeners {
        @ParameterizedTest
        @ValueSource(strings = {MX, SUBMISSION, SUBMISSIONS})
        void everySmtpListenerShouldOfferDsnAndReadItsParametersBeforeTheRcptHooksThatEndTheChecks(String jmxName) {
            List<String> handlers = handlerClasses(smtpListener(jmxName));

            assertThat(handlers).contains(DSN_EHLO, DSN_PARAMETERS);
            assertThat(handlers.indexOf(DSN_PARAMETERS)).as("handlers of %s: %s", jmxName, handlers)
                .isLessThan(handlers.indexOf(LOCAL_POSTMASTER));
        }

        @Test
        void noListenerShouldLetANetworkRelayWithoutAuthentication() {
            for (Element listener : listeners()) {
                // James's sample has 127.0.0.0/8 here: every local process could relay, and AUTH would be hidden.
                assertThat(text(listener, "authorizedAddresses"))
                    .as("authorizedAddresses of %s (networks allowed to relay without AUTH)", name(listener))
                    .isEmpty();
            }
        }

        @Test
        void everyListenerShouldTakeItsAddressFromSystemProperties() {
            Map<String, String> expectedPortProperty = Map.of(
                MX, "msa.smtp.port",
                SUBMISSION, "msa.submission.port",
                SUBMISSIONS, "msa.submissions.port",
                "imapserver", "msa.imap.port",
                "imapserver-ssl", "msa.imaps.port");

            assertThat(listeners()).extracting(ShippedConfigurationTest::name)
                .containsExactlyInAnyOrderElementsOf(expectedPortProperty.keySet());
            for (Element listener : listeners()) {
                assertThat(text(listener, "bind")).as("bind of %s", name(listener))
                    .contains("${sys:msa.bind}:${sys:" + expectedPortProperty.get(name(listener)) + "}");
            }
        }

        @Test
        void everyListenerShouldUseTheShippedKeystoreWithTls12And13Only() {
            for (Element listener : listeners()) {
                Element tls = child(listener, "tls").orElseThrow(() -> new AssertionError(name(listener) + " has no tls"));

                assertThat(tls.getAttribute("startTLS").equals("true") || tls.getAttribute("socketTLS").equals("true"))
                    .as("%s offers TLS", name(listener)).isTrue();
                assertThat(text(tls, "keystore")).as(name(listener)).contains("file://conf/keystore.p12");
                assertThat(text(tls, "keystoreType")).as(name(listener)).contains("PKCS12");
                assertThat(text(tls, "secret")).as(name(listener)).contains("${sys:msa.keystore.secret}");
                assertThat(text(tls, "provider")).as("%s sets no JCE provider", name(listener)).isEmpty();
                assertThat(child(tls, "supportedProtocols").map(protocols -> elements(protocols, "protocol")).orElse(List.of()))
                    .extracting(protocol -> protocol.getTextContent().trim())
                    .as("TLS protocols of %s", name(listener))
                    .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
            }
        }

        @Test
        void imapShouldRefuseCleartextPasswords() {
            for (Element listener : elements(imapServer.getDocumentElement(), "imapserver")) {
                assertThat(text(listener, "auth", "requireSSL")).as(name(listener)).contains("true");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Document parse(String fileName) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setNamespaceAware(false);
        factory.setIgnoringComments(true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        try (InputStream input = open(fileName)) {
            return builder.parse(input);
        }
    }

    /** The file as shipped in james-conf/src/main/conf; from the test classpath when the module directory is elsewhere. */
    private static InputStream open(String fileName) throws IOException {
        Path shipped = Path.of(System.getProperty("basedir", "."), "..", "james-conf", "src", "main", "conf", fileName);
        if (Files.isRegularFile(shipped)) {
            return Files.newInputStream(shipped);
        }
        InputStream resource = ShippedConfigurationTest.class.getClassLoader().getResourceAsStream(fileName);
        if (resource == null) {
            throw new IOException("Shipped configuration file " + fileName + " found neither at " + shipped + " nor on the classpath");
        }
        return resource;
    }

    private static Optional<Class<?>> loadable(String className) {
        try {
            return Optional.of(Class.forName(className, false, ShippedConfigurationTest.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** James resolves a name without a package in its standard package. */
    private static String resolve(String name, String standardPackage) {
        return name.contains(".") ? name : standardPackage + name;
    }

    private static List<Element> processors() {
        Element processorsElement = child(mailetContainer.getDocumentElement(), "processors")
            .orElseThrow(() -> new AssertionError("mailetcontainer.xml has no processors"));
        return elements(processorsElement, "processor");
    }

    private static Element processor(String state) {
        return processors().stream()
            .filter(processor -> processor.getAttribute("state").equals(state))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no processor " + state));
    }

    private static Set<String> compositeMatcherNames(Element processor) {
        return elements(processor, "matcher").stream()
            .map(matcher -> matcher.getAttribute("name"))
            .filter(name -> !name.isEmpty())
            .collect(Collectors.toSet());
    }

    private static List<Element> listeners() {
        return Stream.concat(
                elements(smtpServer.getDocumentElement(), "smtpserver").stream(),
                elements(imapServer.getDocumentElement(), "imapserver").stream())
            .collect(Collectors.toList());
    }

    private static Element smtpListener(String jmxName) {
        return elements(smtpServer.getDocumentElement(), "smtpserver").stream()
            .filter(listener -> name(listener).equals(jmxName))
            .findFirst()
            .orElseThrow(() -> new AssertionError("smtpserver.xml has no listener " + jmxName));
    }

    private static String name(Element listener) {
        return text(listener, "jmxName").orElse("");
    }

    private static List<String> handlerClasses(Element listener) {
        return child(listener, "handlerchain")
            .map(chain -> elements(chain, "handler"))
            .orElse(List.of())
            .stream()
            .map(handler -> handler.getAttribute("class"))
            .collect(Collectors.toList());
    }

    private static Optional<String> handlerParameter(Element listener, String handlerClass, String parameterName) {
        return child(listener, "handlerchain")
            .map(chain -> elements(chain, "handler"))
            .orElse(List.of())
            .stream()
            .filter(handler -> handler.getAttribute("class").equals(handlerClass))
            .findFirst()
            .flatMap(handler -> text(handler, parameterName));
    }

    private static Optional<String> parameter(Element mailet, String name) {
        return text(mailet, name);
    }

    private static int firstIndexOf(List<String> values, Predicate<String> predicate) {
        return IntStream.range(0, values.size()).filter(index -> predicate.test(values.get(index))).findFirst().orElse(-1);
    }

    private static int lastIndexOf(List<String> values, Predicate<String> predicate) {
        return IntStream.range(0, values.size()).filter(index -> predicate.test(values.get(index))).reduce((a, b) -> b).orElse(-1);
    }

    /** Trimmed text of the child element at the given path. */
    private static Optional<String> text(Element parent, String... path) {
        Optional<Element> current = Optional.of(parent);
        for (String step : path) {
            current = current.flatMap(element -> child(element, step));
        }
        return current.map(element -> element.getTextContent().trim());
    }

    private static Optional<Element> child(Element parent, String tagName) {
        return children(parent).stream().filter(element -> element.getTagName().equals(tagName)).findFirst();
    }

    /** Direct child elements with one of the given names, in document order. */
    private static List<Element> elements(Element parent, String... tagNames) {
        Set<String> names = new LinkedHashSet<>(List.of(tagNames));
        return children(parent).stream()
            .filter(element -> names.contains(element.getTagName()))
            .collect(Collectors.toList());
    }

    /** Descendant elements with the given name, in document order. */
    private static List<Element> descendants(Element parent, String tagName) {
        List<Element> result = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagName(tagName);
        for (int index = 0; index < nodes.getLength(); index++) {
            result.add((Element) nodes.item(index));
        }
        return result;
    }

    private static List<Element> children(Element parent) {
        List<Element> result = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int index = 0; index < nodes.getLength(); index++) {
            Node node = nodes.item(index);
            if (node.getNodeType() == Node.ELEMENT_NODE) {
                result.add((Element) node);
            }
        }
        return result;
    }
}
