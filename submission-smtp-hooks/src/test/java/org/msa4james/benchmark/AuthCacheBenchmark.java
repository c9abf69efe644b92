package org.msa4james.benchmark;

import java.util.concurrent.TimeUnit;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.mailbox.Authorizator;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.UsersRepositoryAuthHook;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.mockito.Mockito;
import org.msa4james.smtp.AuthCacheHook;
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
 * The AUTH check with and without the AUTH cache, over James's in-memory users repository configured as the shipped
 * usersrepository.xml (PBKDF2-SHA512, virtual hosting): one operation is what James's AUTH asks the hooks for one
 * AUTH PLAIN of alice@example.test. {@code jamesAlone}: James's UsersRepositoryAuthHook, as without the cache (PBKDF2
 * every time). {@code cacheHit}: AuthCacheHook recognising the password it checked before (one user read, one HMAC).
 * {@code wrongPassword}: a wrong password, declined by AuthCacheHook after its full check, then refused by James's
 * hook after its own: what a failed AUTH costs with the cache.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class AuthCacheBenchmark {
    private static final Username USER = Username.of(BenchmarkSession.USER);
    private static final String PASSWORD = "secret";

    private UsersRepositoryAuthHook jamesHook;
    private AuthCacheHook cacheHook;
    private SMTPSession session;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.WARN);
        MemoryDomainList domainList = new MemoryDomainList(Mockito.mock(DNSService.class));
        domainList.configure(DomainListConfiguration.builder()
            .defaultDomain(Domain.of("example.test"))
            .autoDetect(false)
            .autoDetectIp(false)
            .build());
        MemoryUsersRepository users = MemoryUsersRepository.withVirtualHosting(domainList);
        BaseHierarchicalConfiguration shipped = new BaseHierarchicalConfiguration();
        shipped.addProperty("algorithm", "PBKDF2-SHA512");
        shipped.addProperty("enableVirtualHosting", "true");
        users.configure(shipped);
        users.addUser(USER, PASSWORD);

        jamesHook = new UsersRepositoryAuthHook(users, Mockito.mock(Authorizator.class));
        cacheHook = new AuthCacheHook(users, new RecordingMetricFactory());
        BaseHierarchicalConfiguration handler = new BaseHierarchicalConfiguration();
        handler.addProperty("[@class]", AuthCacheHook.class.getName());
        handler.addProperty("authCacheTtl", "1d");
        cacheHook.init(handler);
        session = BenchmarkSession.authenticatedOverTls();

        require("jamesAlone", jamesAlone().getResult().equals(HookReturnCode.ok()));
        require("cacheHit (first, filling the cache)", cacheHit().getResult().equals(HookReturnCode.ok()));
        require("cacheHit", cacheHit().getResult().equals(HookReturnCode.ok()));
        require("wrongPassword", wrongPassword().equals(HookResult.DECLINED));
    }

    private static void require(String benchmark, boolean ok) {
        if (!ok) {
            throw new IllegalStateException(benchmark + " does not take the path it is meant to measure");
        }
    }

    @Benchmark
    public HookResult jamesAlone() {
        return jamesHook.doAuth(session, USER, PASSWORD);
    }

    @Benchmark
    public HookResult cacheHit() {
        return cacheHook.doAuth(session, USER, PASSWORD);
    }

    @Benchmark
    public HookResult wrongPassword() {
        HookResult cached = cacheHook.doAuth(session, USER, "not-the-password");
        return cached.equals(HookResult.DECLINED) ? jamesHook.doAuth(session, USER, "not-the-password") : cached;
    }
}
