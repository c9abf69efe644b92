package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;

class NotTlsGuardTest {
    /** "EHLO x\r\nAUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n" in hex, as Netty puts it in its error. */
    private static final String CLEARTEXT_HEX =
        "45484c4f20780d0a4155544820504c41494e2041474673615749654141484e6c59334a6c64413d3d0d0a";

    private final NotTlsGuard guard = new NotTlsGuard();
    private final EmbeddedJamesConnection connection = new EmbeddedJamesConnection();
    private final Logger logger = (Logger) LoggerFactory.getLogger(NotTlsGuard.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void setUp() {
        appender.start();
        logger.addAppender(appender);
        guard.onConnect(connection.session);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(appender);
    }

    @Test
    void onConnectShouldPutTheGuardRightBeforeJamesCoreHandler() {
        assertThat(connection.hasRightBeforeCoreHandler(NotTlsGuard.GUARD_NAME)).isTrue();
    }

    @Test
    void cleartextWhereTlsIsExpectedShouldCloseTheConnectionAndLogNoByte() {
        connection.channel.pipeline().fireExceptionCaught(
            new DecoderException(new NotSslRecordException("not an SSL/TLS record: " + CLEARTEXT_HEX)));

        assertThat(connection.errorsReachingJames).isEmpty();
        assertThat(connection.channel.isOpen()).isFalse();
        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
        assertThat(lines).containsExactly("Session embedded: client 203.0.113.5 sent data that is not TLS where TLS was "
            + "expected; connection closed");
        assertThat(appender.list).allMatch(event -> event.getThrowableProxy() == null);
    }

    @Test
    void otherErrorsShouldBeLeftToJames() {
        DecoderException other = new DecoderException("something else");

        connection.channel.pipeline().fireExceptionCaught(other);

        assertThat(connection.errorsReachingJames).containsExactly(other);
        assertThat(connection.channel.isOpen()).isTrue();
    }

    @Test
    void theErrorShouldBeRecognisedWhereverItIsInTheCauses() {
        assertThat(NotTlsGuard.isNotTls(new NotSslRecordException("x"))).isTrue();
        assertThat(NotTlsGuard.isNotTls(new RuntimeException(new DecoderException(new NotSslRecordException("x"))))).isTrue();
        assertThat(NotTlsGuard.isNotTls(new DecoderException("x"))).isFalse();
    }
}
