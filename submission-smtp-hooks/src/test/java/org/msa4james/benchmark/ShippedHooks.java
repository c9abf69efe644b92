package org.msa4james.benchmark;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.msa4james.smtp.AuthFailureLimitHandler;
import org.msa4james.smtp.BenchmarkJamesData;
import org.msa4james.smtp.HeaderCheckHook;
import org.msa4james.smtp.LocalPostmasterRcptHook;
import org.msa4james.smtp.QualifiedEnvelopeHook;
import org.msa4james.smtp.RecipientLimitHook;
import org.msa4james.smtp.RecipientSyntaxCmdHandler;
import org.msa4james.smtp.RefusalLogHandler;
import org.msa4james.smtp.RequireAuthenticationHook;
import org.msa4james.smtp.RequireTlsForAuthCmdHandler;
import org.msa4james.smtp.SendingRateLimitHook;
import org.msa4james.smtp.SenderEntitlementHook;
import org.msa4james.smtp.SubmissionMarkHook;

/**
 * The handlers of the submission listener (port 587) of the shipped smtpserver.xml, in its order, initialised with its
 * parameters as bin/msa4james substitutes them by default, except: {@code domainExpansions} is
 * {@code sales=sales.example.test} (MSA_DOMAIN_EXPANSIONS), so that the expansion of a single-label domain is part of
 * what is measured; and the benchmark user gets a sending limit ({@code overrides}) too high to be reached by the
 * millions of messages a benchmark counts, so that every operation takes the accepting path (the check costs the
 * same: one map lookup more). AuthCacheHook, whose AUTH path runs the password hash, is measured apart by
 * {@link AuthCacheBenchmark}. Built with the constructors James's Guice uses, over James's in-memory domain list,
 * recipient rewrite table, users and delegation store.
 */
final class ShippedHooks {
    static final String DOMAIN_EXPANSIONS = "sales=sales.example.test";

    final RequireTlsForAuthCmdHandler requireTlsForAuth = new RequireTlsForAuthCmdHandler();
    final AuthFailureLimitHandler authFailureLimit = new AuthFailureLimitHandler();
    final RecipientSyntaxCmdHandler recipientSyntax = new RecipientSyntaxCmdHandler();
    final RequireAuthenticationHook requireAuthentication;
    final QualifiedEnvelopeHook qualifiedEnvelope;
    final SenderEntitlementHook senderEntitlement;
    final RecipientLimitHook recipientLimit = new RecipientLimitHook();
    final HeaderCheckHook headerCheck;
    final SendingRateLimitHook sendingRateLimit = new SendingRateLimitHook();
    final RefusalLogHandler refusalLog = new RefusalLogHandler();
    final SubmissionMarkHook submissionMark = new SubmissionMarkHook();
    final LocalPostmasterRcptHook localPostmaster;

    ShippedHooks() throws Exception {
        BenchmarkJamesData james = BenchmarkJamesData.create();
        requireAuthentication = new RequireAuthenticationHook(james.domainList());
        qualifiedEnvelope = new QualifiedEnvelopeHook(james.domainList());
        senderEntitlement = new SenderEntitlementHook(james.canSendFrom());
        headerCheck = new HeaderCheckHook(james.domainList(), james.canSendFrom(), james.delegationStore());
        localPostmaster = new LocalPostmasterRcptHook(james.domainList());

        init(requireTlsForAuth);
        init(authFailureLimit, "maxAuthFailures", "5", "authFailureWindow", "10m", "maxSessionAuthFailures", "3");
        init(recipientSyntax);
        init(requireAuthentication, "trustedNetworks", "", "postmasterWithoutAuthentication", "false");
        init(qualifiedEnvelope, "domainExpansions", DOMAIN_EXPANSIONS, "additionalTopLevelDomains", "");
        init(senderEntitlement);
        init(recipientLimit, "maxRecipients", "100");
        init(headerCheck, "domainExpansions", DOMAIN_EXPANSIONS, "additionalTopLevelDomains", "",
            "checkFromEntitlement", "true");
        init(sendingRateLimit, "maxMessagesPerHour", "500", "maxRecipientsPerHour", "2000",
            "overrides", BenchmarkSession.USER + "=2000000000/2000000000");
        init(refusalLog, "listenerName", "submission", "maxLinesPerMinute", "20", "maxLinesPerMinuteInTotal", "600");
        init(submissionMark, "listenerName", "submission");
        init(localPostmaster);
    }

    private static void init(ProtocolHandler handler, String... keysAndValues) throws ConfigurationException {
        BaseHierarchicalConfiguration configuration = new BaseHierarchicalConfiguration();
        configuration.addProperty("[@class]", handler.getClass().getName());
        for (int i = 0; i < keysAndValues.length; i += 2) {
            configuration.addProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        handler.init(configuration);
    }
}
