package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Username;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.mailbox.Authorizator;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.protocols.api.BaseRequest;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.AuthCmdHandler;
import org.apache.james.protocols.smtp.hook.AuthHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.UsersRepositoryAuthHook;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.user.api.model.User;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.msa4james.abuse.AuthFailureKeys;
import org.msa4james.abuse.InMemoryAuthFailureCounter;
import org.msa4james.abuse.MutableClock;
import org.msa4james.diagnostics.ClientDiagnostics;

class AuthCacheHookTest {
    private static final Instant START = Instant.parse("2026-11-28T19:15:00Z");
    private static final String CLIENT = "198.51.100.7";
    private static final Username ALICE = Username.of("alice@example.test");
    private static final Username BOB = Username.of("bob@example.test");
    private static final String PASSWORD = "secret";

    private final MutableClock clock = new MutableClock(START);
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();
    /** Every user object the repository handed out, watched, so that the password checks can be counted. */
    private final List<User> handedOut = new ArrayList<>();
    private MemoryUsersRepository repository;
    private UsersRepository users;
    private AuthCacheHook hook;

    @BeforeEach
    void setUp() throws Exception {
        MemoryDomainList domainList = new MemoryDomainList(mock(DNSService.class));
        domainList.configure(DomainListConfiguration.builder()
            .defaultDomain(org.apache.james.core.Domain.of("example.test"))
            .autoDetect(false)
            .autoDetectIp(false)
            .build());
        repository = MemoryUsersRepository.withVirtualHosting(domainList);
        repository.addUser(ALICE, PASSWORD);
        repository.addUser(BOB, PASSWORD);
        users = spy(repository);
        doAnswer(invocation -> {
            User user = (User) invocation.callRealMethod();
            if (user == null) {
                return null;
            }
            User watched = spy(user);
            handedOut.add(watched);
            return watched;
        }).when(users).getUserByName(any());
        hook = configured();
    }

    private AuthCacheHook configured(String... parameters) throws ConfigurationException {
        AuthCacheHook configured = new AuthCacheHook(users, metrics, clock);
        configured.init(TestSessions.handlerConfiguration(AuthCacheHook.class, parameters));
        return configured;
    }

    private static SMTPSession session() {
        return TestSessions.from(CLIENT).withTls("TLSv1.3").build();
    }

    /**
     * How many times this hook checked a password against a stored hash (ran PBKDF2) so far. James's own hook checks
     * through {@code UsersRepository.test}, verified apart.
     */
    private long passwordChecks() {
        return handedOut.stream()
            .flatMap(user -> mockingDetails(user).getInvocations().stream())
            .filter(invocation -> invocation.getMethod().getName().equals("verifyPassword"))
            .count();
    }

    private void changePassword(Username user, String password) throws Exception {
        User stored = repository.getUserByName(user);
        stored.setPassword(password);
        repository.updateUser(stored);
    }

    @Test
    void theFirstAuthShouldBeCheckedInFullAndAuthenticateAsJamesDoes() {
        SMTPSession session = session();

        HookResult result = hook.doAuth(session, ALICE, PASSWORD);

        assertThat(result.getResult()).isEqualTo(HookReturnCode.ok());
        assertThat(TestSessions.replyLine(new AuthCmdHandlerReplies().reply(result))).isEqualTo("235 Authentication Successful");
        assertThat(session.getUsername()).isEqualTo(ALICE);
        assertThat(session.isRelayingAllowed()).isTrue();
        assertThat(passwordChecks()).isEqualTo(1);
        assertThat(metrics.countFor(AuthCacheHook.MISSES_METRIC)).isEqualTo(1);
    }

    @Test
    void theSamePasswordAgainShouldBeAnsweredWithoutCheckingItAgain() {
        hook.doAuth(session(), ALICE, PASSWORD);
        SMTPSession session = session();

        HookResult result = hook.doAuth(session, ALICE, PASSWORD);

        assertThat(result.getResult()).isEqualTo(HookReturnCode.ok());
        assertThat(result.getSmtpDescription()).isEqualTo("Authentication Successful");
        assertThat(session.getUsername()).isEqualTo(ALICE);
        assertThat(session.isRelayingAllowed()).isTrue();
        assertThat(passwordChecks()).isEqualTo(1);
        assertThat(metrics.countFor(AuthCacheHook.HITS_METRIC)).isEqualTo(1);
    }

    @Test
    void aWrongPasswordShouldBeLeftToJamesAndNeverBeAnsweredFromTheCache() {
        hook.doAuth(session(), ALICE, PASSWORD);
        SMTPSession session = session();

        HookResult result = hook.doAuth(session, ALICE, "guess");

        assertThat(result).isEqualTo(HookResult.DECLINED);
        assertThat(session.getUsername()).isNull();
        assertThat(session.isRelayingAllowed()).isFalse();
        assertThat(passwordChecks()).as("checked in full, as if nothing were cached").isEqualTo(2);
    }

    @Test
    void aWrongPasswordShouldNotEvictTheRightOne() {
        hook.doAuth(session(), ALICE, PASSWORD);
        hook.doAuth(session(), ALICE, "guess");
        hook.doAuth(session(), ALICE, "another guess");

        assertThat(hook.doAuth(session(), ALICE, PASSWORD).getResult()).isEqualTo(HookReturnCode.ok());
        assertThat(passwordChecks()).isEqualTo(3);
        assertThat(hook.cachedUsers()).isEqualTo(1);
    }

    @Test
    void aWrongPasswordShouldCostTheSameWhetherTheUserIsCachedOrNot() {
        hook.doAuth(session(), ALICE, PASSWORD);
        long before = passwordChecks();
        hook.doAuth(session(), ALICE, "guess");
        long cachedUser = passwordChecks() - before;

        before = passwordChecks();
        hook.doAuth(session(), BOB, "guess");
        long uncachedUser = passwordChecks() - before;

        assertThat(cachedUser).isEqualTo(uncachedUser).isEqualTo(1);
    }

    @Test
    void aFailureShouldNeverBeCached() {
        for (int i = 0; i < 3; i++) {
            assertThat(hook.doAuth(session(), ALICE, "guess")).isEqualTo(HookResult.DECLINED);
        }

        assertThat(hook.cachedUsers()).isZero();
        assertThat(passwordChecks()).isEqualTo(3);
    }

    @Test
    void afterAPasswordChangeTheOldPasswordShouldBeLeftToJamesAndTheNewOneWork() throws Exception {
        hook.doAuth(session(), ALICE, PASSWORD);

        changePassword(ALICE, "new-secret");

        assertThat(hook.doAuth(session(), ALICE, PASSWORD)).isEqualTo(HookResult.DECLINED);
        assertThat(hook.doAuth(session(), ALICE, "new-secret").getResult()).isEqualTo(HookReturnCode.ok());
        assertThat(hook.doAuth(session(), ALICE, "new-secret").getResult()).isEqualTo(HookReturnCode.ok());
        assertThat(passwordChecks()).as("first AUTH, old password, new password once").isEqualTo(3);
        assertThat(hook.doAuth(session(), ALICE, PASSWORD)).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void aDeletedUserShouldBeLeftToJamesAndForgotten() throws Exception {
        hook.doAuth(session(), ALICE, PASSWORD);

        repository.removeUser(ALICE);

        SMTPSession session = session();
        assertThat(hook.doAuth(session, ALICE, PASSWORD)).isEqualTo(HookResult.DECLINED);
        assertThat(session.getUsername()).isNull();
        assertThat(hook.cachedUsers()).isZero();
    }

    @Test
    void aRecreatedUserWithTheSamePasswordShouldBeAuthenticated() throws Exception {
        hook.doAuth(session(), ALICE, PASSWORD);
        repository.removeUser(ALICE);
        hook.doAuth(session(), ALICE, PASSWORD);

        repository.addUser(ALICE, PASSWORD);

        assertThat(hook.doAuth(session(), ALICE, PASSWORD).getResult()).isEqualTo(HookReturnCode.ok());
    }

    @Test
    void anUnknownUserShouldBeLeftToJamesWithoutAnyPasswordCheck() {
        assertThat(hook.doAuth(session(), Username.of("nobody@example.test"), PASSWORD)).isEqualTo(HookResult.DECLINED);
        assertThat(passwordChecks()).isZero();
    }

    @Test
    void aUserWithoutItsDomainShouldBeLeftToJames() {
        assertThat(hook.doAuth(session(), Username.of("alice"), PASSWORD)).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void theEntryShouldExpireAfterTheTimeToLive() {
        hook.doAuth(session(), ALICE, PASSWORD);

        clock.advance(Duration.ofMinutes(4));
        hook.doAuth(session(), ALICE, PASSWORD);
        assertThat(passwordChecks()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        assertThat(hook.doAuth(session(), ALICE, PASSWORD).getResult()).isEqualTo(HookReturnCode.ok());
        assertThat(passwordChecks()).isEqualTo(2);
    }

    @Test
    void theTimeToLiveShouldBeConfigurable() throws Exception {
        hook = configured("authCacheTtl", "30s");
        hook.doAuth(session(), ALICE, PASSWORD);

        clock.advance(Duration.ofSeconds(30));
        hook.doAuth(session(), ALICE, PASSWORD);

        assertThat(passwordChecks()).isEqualTo(2);
    }

    @Test
    void theNumberOfUsersRememberedShouldBeBounded() throws Exception {
        hook = configured("authCacheMaxEntries", "1");
        hook.doAuth(session(), ALICE, PASSWORD);
        hook.doAuth(session(), BOB, PASSWORD);

        assertThat(hook.cachedUsers()).isEqualTo(1);
        hook.doAuth(session(), ALICE, PASSWORD);
        assertThat(passwordChecks()).as("alice was evicted by bob").isEqualTo(3);
    }

    @Test
    void aZeroTimeToLiveShouldTurnTheCacheOff() throws Exception {
        hook = configured("authCacheTtl", "0");
        SMTPSession session = session();

        assertThat(hook.isOn()).isFalse();
        assertThat(hook.doAuth(session, ALICE, PASSWORD)).isEqualTo(HookResult.DECLINED);
        assertThat(hook.doAuth(session, ALICE, PASSWORD)).isEqualTo(HookResult.DECLINED);
        assertThat(session.getUsername()).isNull();
        verifyNoInteractions(users);
    }

    @Test
    void theCacheShouldBeOnWithTheDefaults() {
        assertThat(hook.isOn()).isTrue();
    }

    @Test
    void aUsersRepositoryWhoseCheckItCannotReproduceShouldTurnTheCacheOff() throws Exception {
        UsersRepository other = mock(UsersRepository.class);
        AuthCacheHook offHook = new AuthCacheHook(other, metrics, clock);
        offHook.init(TestSessions.handlerConfiguration(AuthCacheHook.class));

        assertThat(offHook.isOn()).isFalse();
        assertThat(offHook.doAuth(session(), ALICE, PASSWORD)).isEqualTo(HookResult.DECLINED);
        verifyNoInteractions(other);
    }

    @Test
    void aFailingUsersRepositoryShouldLeaveAuthToJames() throws Exception {
        UsersRepository failing = spy(repository);
        doThrow(new UsersRepositoryException("down")).when(failing).getUserByName(any());
        AuthCacheHook failingHook = new AuthCacheHook(failing, metrics, clock);
        failingHook.init(TestSessions.handlerConfiguration(AuthCacheHook.class));

        assertThat(failingHook.doAuth(session(), ALICE, PASSWORD)).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void tokensShouldBeLeftToJames() {
        assertThat(hook.doSasl(session(), null, "n,a=alice@example.test,\u0001auth=Bearer token\u0001\u0001"))
            .isEqualTo(HookResult.DECLINED);
        assertThat(hook.doDelegation(session(), ALICE)).isEqualTo(HookResult.DECLINED);
    }

    @Nested
    class Configuration {
        @Test
        void aBadTimeToLiveShouldBeRefused() {
            assertThatThrownBy(() -> configured("authCacheTtl", "five minutes"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.AuthCacheHook: parameter 'authCacheTtl' is invalid: "
                    + "must be a duration such as 30s, 10m or 1h, not 'five minutes'");
        }

        @Test
        void aTimeToLiveOverADayShouldBeRefused() {
            assertThatThrownBy(() -> configured("authCacheTtl", "2d"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.AuthCacheHook: parameter 'authCacheTtl' is invalid: "
                    + "must be at most 1d, not '2d'");
        }

        @Test
        void aZeroBoundShouldBeRefused() {
            assertThatThrownBy(() -> configured("authCacheMaxEntries", "0"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.AuthCacheHook: parameter 'authCacheMaxEntries' "
                    + "must be a positive integer, not '0'");
        }

        @Test
        void aBoundOverAMillionShouldBeRefused() {
            assertThatThrownBy(() -> configured("authCacheMaxEntries", "2000000"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.AuthCacheHook: parameter 'authCacheMaxEntries' "
                    + "must be at most 1000000, not '2000000'");
        }

        @Test
        void anUnknownParameterShouldBeRefused() {
            assertThatThrownBy(() -> configured("ttl", "5m"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.AuthCacheHook: parameter 'ttl' is not a parameter of this "
                    + "handler; known parameters: authCacheTtl, authCacheMaxEntries");
        }
    }

    /**
     * The hook among James's own: AuthCmdHandler asking, in the shipped order, AuthFailureLimitHandler, this hook and
     * James's UsersRepositoryAuthHook, as the submission listeners do.
     */
    @Nested
    class InJamesChain {
        private final InMemoryAuthFailureCounter counter = new InMemoryAuthFailureCounter(clock);
        private final AuthFailureLimitHandler authFailureLimit = new AuthFailureLimitHandler(counter, ClientDiagnostics.discarding());
        private final AuthCmdHandler authCmdHandler = new AuthCmdHandler();

        @BeforeEach
        void wire() throws Exception {
            authFailureLimit.init(TestSessions.handlerConfiguration(AuthFailureLimitHandler.class, "authFailureDelay", "0"));
            List<AuthHook> hooks = List.of(authFailureLimit, hook, new UsersRepositoryAuthHook(users, mock(Authorizator.class)));
            authCmdHandler.wireExtensions(AuthHook.class, hooks);
        }

        private String authPlain(SMTPSession session, String credentials) {
            String initialResponse = Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
            Response response = authCmdHandler.onCommand(session, new BaseRequest("AUTH", "PLAIN " + initialResponse));
            authFailureLimit.onResponse(session, response, 0, authCmdHandler);
            return TestSessions.replyLine(response);
        }

        private long failuresCounted() {
            return counter.get(AuthFailureKeys.address(CLIENT), Duration.ofMinutes(10)).count();
        }

        @Test
        void aCachedAuthShouldGetJamesReplyAndLeaveTheSessionAsJamesDoes() throws Exception {
            SMTPSession first = session();
            assertThat(authPlain(first, "\u0000alice@example.test\u0000secret")).isEqualTo("235 Authentication Successful");
            SMTPSession second = session();

            assertThat(authPlain(second, "\u0000alice@example.test\u0000secret")).isEqualTo("235 Authentication Successful");

            assertThat(second.getUsername()).isEqualTo(ALICE);
            assertThat(second.isRelayingAllowed()).isTrue();
            assertThat(passwordChecks()).isEqualTo(1);
            verify(users, never()).test(any(), any());
            assertThat(failuresCounted()).isZero();
        }

        @Test
        void aWrongPasswordShouldGetJamesReplyAndBeCounted() throws Exception {
            authPlain(session(), "\u0000alice@example.test\u0000secret");
            SMTPSession session = session();

            assertThat(authPlain(session, "\u0000alice@example.test\u0000guess")).isEqualTo("535 Authentication Failed");

            assertThat(session.getUsername()).isNull();
            assertThat(session.isRelayingAllowed()).isFalse();
            assertThat(failuresCounted()).isEqualTo(1);
            assertThat(passwordChecks()).as("the first AUTH, then this one").isEqualTo(2);
            verify(users, times(1)).test(ALICE, "guess");
        }

        @Test
        void theOldPasswordAfterAChangeShouldGetJamesReplyAndBeCounted() throws Exception {
            authPlain(session(), "\u0000alice@example.test\u0000secret");
            changePassword(ALICE, "new-secret");

            assertThat(authPlain(session(), "\u0000alice@example.test\u0000secret")).isEqualTo("535 Authentication Failed");
            assertThat(authPlain(session(), "\u0000alice@example.test\u0000new-secret")).isEqualTo("235 Authentication Successful");
            assertThat(failuresCounted()).isEqualTo(1);
        }

        /**
         * James 3.8.1 drops the authorization identity of AUTH PLAIN before asking the hooks: "bob\0alice\0secret"
         * authenticates alice, with or without this hook, and never bob.
         */
        @Test
        void anAuthorizationIdentityShouldGetWhatJamesGivesIt() {
            authPlain(session(), "\u0000alice@example.test\u0000secret");
            SMTPSession session = session();

            assertThat(authPlain(session, "bob@example.test\u0000alice@example.test\u0000secret"))
                .isEqualTo("235 Authentication Successful");

            assertThat(session.getUsername()).isEqualTo(ALICE);
        }

        @Test
        void anAuthorizationIdentityAloneShouldGetJamesRefusal() {
            authPlain(session(), "\u0000alice@example.test\u0000secret");
            SMTPSession session = session();

            assertThat(authPlain(session, "alice@example.test")).isEqualTo("535 Authentication Failed");
            assertThat(session.getUsername()).isNull();
        }

        @Test
        void withoutTheHookJamesShouldAnswerTheSame() throws Exception {
            AuthCmdHandler jamesAlone = new AuthCmdHandler();
            jamesAlone.wireExtensions(AuthHook.class, List.of(new UsersRepositoryAuthHook(users, mock(Authorizator.class))));
            for (String credentials : List.of("\u0000alice@example.test\u0000secret", "\u0000alice@example.test\u0000guess",
                    "bob@example.test\u0000alice@example.test\u0000secret", "alice@example.test", "\u0000alice\u0000secret")) {
                SMTPSession withHook = session();
                SMTPSession without = session();
                String initialResponse = Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));

                String expected = TestSessions.replyLine(jamesAlone.onCommand(without, new BaseRequest("AUTH", "PLAIN " + initialResponse)));
                // twice with the hook: once to fill the cache, once from it
                authPlain(session(), credentials);
                String actual = authPlain(withHook, credentials);

                assertThat(actual).as(credentials.replace('\u0000', '|')).isEqualTo(expected);
                assertThat(withHook.getUsername()).as(credentials.replace('\u0000', '|')).isEqualTo(without.getUsername());
                assertThat(withHook.isRelayingAllowed()).as(credentials.replace('\u0000', '|')).isEqualTo(without.isRelayingAllowed());
            }
        }
    }

    /** The reply AuthCmdHandler makes of a hook result. */
    private static final class AuthCmdHandlerReplies extends AuthCmdHandler {
        Response reply(HookResult result) {
            return calcDefaultSMTPResponse(result);
        }
    }
}
