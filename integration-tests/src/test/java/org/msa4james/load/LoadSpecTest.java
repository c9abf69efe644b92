package org.msa4james.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

class LoadSpecTest {

    private static LoadSpec.Builder valid() {
        return LoadSpec.builder()
            .host("127.0.0.1")
            .port(587)
            .tls(TlsMode.STARTTLS)
            .credentials("alice@example.test", "secret")
            .sender("alice@example.test")
            .recipient("load@example.com")
            .connections(4)
            .totalMessages(1000)
            .messageSize(1024);
    }

    @Test
    void aCompleteSpecKeepsEveryFieldAndDescribesItself() {
        LoadSpec spec = valid().timeLimit(Duration.ofSeconds(30)).build();

        assertThat(spec.host()).isEqualTo("127.0.0.1");
        assertThat(spec.port()).isEqualTo(587);
        assertThat(spec.tls()).isEqualTo(TlsMode.STARTTLS);
        assertThat(spec.user()).isEqualTo("alice@example.test");
        assertThat(spec.password()).isEqualTo("secret");
        assertThat(spec.sender()).isEqualTo("alice@example.test");
        assertThat(spec.recipient()).isEqualTo("load@example.com");
        assertThat(spec.connections()).isEqualTo(4);
        assertThat(spec.totalMessages()).isEqualTo(1000);
        assertThat(spec.messageSize()).isEqualTo(1024);
        assertThat(spec.connectionPerMessage()).isFalse();
        assertThat(spec.timeLimit()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.target()).isEqualTo("127.0.0.1:587");
        assertThat(spec.describe()).isEqualTo("4 connections x 250 messages of 1 KiB, reused");
    }

    @Test
    void describeNamesTheWayConnectionsAreUsedAndTheSize() {
        assertThat(valid().totalMessages(200).connectionPerMessage(true).build().describe())
            .isEqualTo("4 connections x 50 messages of 1 KiB, one connection per message");
        assertThat(valid().totalMessages(200).messageSize(100 * 1024).build().describe())
            .isEqualTo("4 connections x 50 messages of 100 KiB, reused");
        assertThat(valid().connections(3).totalMessages(10).messageSize(20 * 1024 * 1024).build().describe())
            .isEqualTo("3 connections sharing 10 messages of 20 MiB, reused");
        assertThat(valid().connections(1).totalMessages(1).messageSize(1500).build().describe())
            .isEqualTo("1 connection x 1 message of 1500 B, reused");
    }

    @Test
    void theMessagesAreSplitAsEvenlyAsPossible() {
        LoadSpec spec = valid().connections(3).totalMessages(10).build();

        assertThat(spec.messagesOfWorker(0)).isEqualTo(4);
        assertThat(spec.messagesOfWorker(1)).isEqualTo(3);
        assertThat(spec.messagesOfWorker(2)).isEqualTo(3);
    }

    @Test
    void theTimeLimitDefaultsToTenMinutes() {
        assertThat(valid().build().timeLimit()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void eachInvalidFieldIsNamedInTheMessage() {
        assertInvalid(b -> b.host(null), "host must be set");
        assertInvalid(b -> b.host(" "), "host must be set");
        assertInvalid(b -> b.host("127.0.0.1\r\nRSET"), "host must be printable ASCII without spaces");
        assertInvalid(b -> b.port(0), "port must be between 1 and 65535, was 0");
        assertInvalid(b -> b.port(65_536), "port must be between 1 and 65535, was 65536");
        assertInvalid(b -> b.tls(null), "tls must be set");
        assertInvalid(b -> b.credentials(null, "secret"), "user must be set");
        assertInvalid(b -> b.credentials("alice@example.test", ""), "password must be set");
        assertInvalid(b -> b.credentials("alice@example.test", null), "password must be set");
        assertInvalid(b -> b.sender(null), "sender must be set");
        assertInvalid(b -> b.sender("alice"), "sender must be an address local@domain, was \"alice\"");
        assertInvalid(b -> b.sender("<alice@example.test>"), "sender must be an address local@domain");
        assertInvalid(b -> b.recipient("load@"), "recipient must be an address local@domain, was \"load@\"");
        assertInvalid(b -> b.recipient("load@example.com\r\nDATA"), "recipient must be printable ASCII without spaces");
        assertInvalid(b -> b.connections(0), "connections must be between 1 and 1000, was 0");
        assertInvalid(b -> b.connections(1001), "connections must be between 1 and 1000, was 1001");
        assertInvalid(b -> b.totalMessages(0), "totalMessages must be between 1 and 1000000, was 0");
        assertInvalid(b -> b.totalMessages(3), "totalMessages (3) must be at least connections (4)");
        assertInvalid(b -> b.messageSize(511), "messageSize must be between 512 and 67108864 bytes, was 511");
        assertInvalid(b -> b.messageSize(64 * 1024 * 1024 + 1), "messageSize must be between 512 and 67108864 bytes");
        assertInvalid(b -> b.messageSize(64 * 1024 * 1024).totalMessages(100), "messageSize x totalMessages must not exceed");
        assertInvalid(b -> b.timeLimit(null), "timeLimit must be set");
        assertInvalid(b -> b.timeLimit(Duration.ZERO), "timeLimit must be positive and at most PT24H, was PT0S");
        assertInvalid(b -> b.timeLimit(Duration.ofHours(25)), "timeLimit must be positive and at most PT24H, was PT25H");
    }

    private static void assertInvalid(UnaryOperator<LoadSpec.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(valid()).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(message);
    }
}
