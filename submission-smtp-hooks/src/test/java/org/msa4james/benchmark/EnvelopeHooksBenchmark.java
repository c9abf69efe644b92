package org.msa4james.benchmark;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.BaseRequest;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.LoggerFactory;

/**
 * The cost of each handler of the shipped submission listener on the path a valid submission takes: the command or
 * envelope it judges is accepted (the hook answers DECLINED, "no opinion", and James goes on; a command handler
 * answers nothing). One operation is one call (or, for the handlers James calls several times for one command, the
 * calls of that command), on a real James session after STARTTLS and AUTH ({@link BenchmarkSession}) in a mail
 * transaction (MAIL FROM:&lt;alice@example.test&gt; accepted), with the handlers initialised as in the shipped
 * smtpserver.xml ({@link ShippedHooks}). These handlers see no message: their cost does not depend on its size.
 * The set-up of each trial checks, once, that every benchmarked call takes the accepting path.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class EnvelopeHooksBenchmark {
    static final MaybeSender SENDER = MaybeSender.getMailSender(BenchmarkSession.USER);
    static final Request AUTH = new BaseRequest("AUTH", "PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABzZWNyZXQ=");
    static final Request RCPT = new BaseRequest("RCPT", "TO:<bob@sales.example.test>");
    static final Response AUTH_OK = new SMTPResponse("235", "Authentication successful");
    static final Response RCPT_OK = new SMTPResponse("250", "2.1.5 Recipient <bob@sales.example.test> OK");

    private ShippedHooks hooks;
    private SMTPSession session;
    private MailAddress recipient;
    private Username user;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.WARN);
        hooks = new ShippedHooks();
        session = BenchmarkSession.authenticatedOverTls();
        session.setAttachment(SMTPSession.SENDER, SENDER, ProtocolSession.State.Transaction);
        session.setAttachment(SMTPSession.RCPT_LIST, new ArrayList<>(), ProtocolSession.State.Transaction);
        recipient = new MailAddress("bob@sales.example.test");
        user = session.getUsername();
        checkAcceptingPaths();
    }

    private void checkAcceptingPaths() {
        require("requireTlsForAuthCmdHandler", requireTlsForAuthCmdHandler() == null);
        require("authFailureLimitHandler", authFailureLimitHandler() == AUTH_OK && session.getUsername() == user);
        require("recipientSyntaxCmdHandler", recipientSyntaxCmdHandler() == null);
        require("requireAuthenticationHookMail", declined(requireAuthenticationHookMail()));
        require("requireAuthenticationHookRcpt", declined(requireAuthenticationHookRcpt()));
        require("qualifiedEnvelopeHookMail", declined(qualifiedEnvelopeHookMail()));
        require("qualifiedEnvelopeHookRcpt", declined(qualifiedEnvelopeHookRcpt()));
        require("senderEntitlementHook", declined(senderEntitlementHook()));
        require("recipientLimitHook", declined(recipientLimitHook()));
        require("sendingRateLimitHookMail", declined(sendingRateLimitHookMail()));
        require("sendingRateLimitHookRcpt", declined(sendingRateLimitHookRcpt()));
        require("localPostmasterRcptHook", declined(localPostmasterRcptHook()));
        require("refusalLogHandler", refusalLogHandler() == RCPT_OK);
    }

    static boolean declined(HookResult result) {
        return result.getResult().getAction() == HookReturnCode.Action.DECLINED;
    }

    static void require(String benchmark, boolean accepted) {
        if (!accepted) {
            throw new IllegalStateException(benchmark + ": the valid submission was not accepted");
        }
    }

    /** AUTH on a TLS session: no opinion (James's AUTH handler goes on). */
    @Benchmark
    public Response requireTlsForAuthCmdHandler() {
        return hooks.requireTlsForAuth.onCommand(session, AUTH);
    }

    /**
     * A successful AUTH as James drives this handler: the AUTH command (address under its limit), the authentication
     * hook (notes the attempt), then the 235 reply (settles it: the session has its user, no failure counted).
     */
    @Benchmark
    public Response authFailureLimitHandler() {
        Response refused = hooks.authFailureLimit.onCommand(session, AUTH);
        if (refused != null) {
            return refused;
        }
        hooks.authFailureLimit.doAuth(session, user, "secret");
        return hooks.authFailureLimit.onResponse(session, AUTH_OK, 1, null);
    }

    @Benchmark
    public Response recipientSyntaxCmdHandler() {
        return hooks.recipientSyntax.onCommand(session, RCPT);
    }

    @Benchmark
    public HookResult requireAuthenticationHookMail() {
        return hooks.requireAuthentication.doMail(session, SENDER);
    }

    @Benchmark
    public HookResult requireAuthenticationHookRcpt() {
        return hooks.requireAuthentication.doRcpt(session, SENDER, recipient);
    }

    @Benchmark
    public HookResult qualifiedEnvelopeHookMail() {
        return hooks.qualifiedEnvelope.doMail(session, SENDER);
    }

    @Benchmark
    public HookResult qualifiedEnvelopeHookRcpt() {
        return hooks.qualifiedEnvelope.doRcpt(session, SENDER, recipient);
    }

    @Benchmark
    public HookResult senderEntitlementHook() {
        return hooks.senderEntitlement.doMail(session, SENDER);
    }

    @Benchmark
    public HookResult recipientLimitHook() {
        return hooks.recipientLimit.doRcpt(session, SENDER, recipient);
    }

    @Benchmark
    public HookResult sendingRateLimitHookMail() {
        return hooks.sendingRateLimit.doMail(session, SENDER);
    }

    @Benchmark
    public HookResult sendingRateLimitHookRcpt() {
        return hooks.sendingRateLimit.doRcpt(session, SENDER, recipient);
    }

    @Benchmark
    public HookResult localPostmasterRcptHook() {
        return hooks.localPostmaster.doRcpt(session, SENDER, recipient);
    }

    /**
     * A 250 reply to RCPT, handed to the result handler twice as James does: by the command dispatcher with the
     * command handler that answered, then by the connection (no command handler).
     */
    @Benchmark
    public Response refusalLogHandler() {
        hooks.refusalLog.onResponse(session, RCPT_OK, 1, hooks.recipientSyntax);
        return hooks.refusalLog.onResponse(session, RCPT_OK, 1, null);
    }
}
