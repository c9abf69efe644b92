package org.msa4james.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class MessageIdFactoryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T18:55:39.123Z"), ZoneOffset.UTC);

    /** A generator whose bytes are 0x00, 0x01, 0x02, ... */
    static final class CountingRandom extends Random {
        private static final long serialVersionUID = 1L;
        private int next;

        @Override
        public void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) next++;
            }
        }
    }

    @Test
    void createShouldJoinTheTimeAnd128RandomBitsAtTheDomain() {
        MessageIdFactory factory = new MessageIdFactory(CLOCK, new CountingRandom());

        assertThat(factory.create("example.test")).isEqualTo("<mx0rt75f.000g40o40k30e209185go38e1s@example.test>");
        assertThat(factory.create("example.test")).isEqualTo("<mx0rt75f.208h44ok2kb1e60p38dho78u3s@example.test>");
    }

    @Test
    void createShouldEncodeTheClockInBase36() {
        assertThat(Long.toString(CLOCK.millis(), 36)).isEqualTo("mx0rt75f");
        assertThat(Long.parseLong("mx0rt75f", 36)).isEqualTo(Instant.parse("2026-11-28T18:55:39.123Z").toEpochMilli());
    }

    @Test
    void createShouldWriteAValidMsgId() {
        MessageIdFactory factory = MessageIdFactory.secure(Clock.systemUTC());

        for (int i = 0; i < 1000; i++) {
            assertThat(MessageIdSyntax.problem(factory.create("mail.example.test"))).isEmpty();
        }
    }

    @Test
    void createShouldNeverRepeatAnIdEvenWithinTheSameMillisecond() {
        MessageIdFactory factory = MessageIdFactory.secure(CLOCK);
        Set<String> ids = new HashSet<>();

        for (int i = 0; i < 100_000; i++) {
            ids.add(factory.create("example.test"));
        }

        assertThat(ids).hasSize(100_000);
    }

    @Test
    void createShouldNotRepeatTheIdsOfAnotherFactory() {
        Set<String> ids = new HashSet<>();
        for (int node = 0; node < 10; node++) {
            MessageIdFactory restartedOrOtherNode = MessageIdFactory.secure(CLOCK);
            for (int i = 0; i < 10_000; i++) {
                ids.add(restartedOrOtherNode.create("example.test"));
            }
        }

        assertThat(ids).hasSize(100_000);
    }

    @Test
    void createShouldRefuseADomainThatIsNotALowerCaseHostName() {
        MessageIdFactory factory = new MessageIdFactory(CLOCK, new CountingRandom());

        assertThatThrownBy(() -> factory.create("exa mple.test"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("'exa mple.test' is not a lower-case host name");
        assertThatThrownBy(() -> factory.create("Example.test"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("'Example.test' is not a lower-case host name");
    }
}
