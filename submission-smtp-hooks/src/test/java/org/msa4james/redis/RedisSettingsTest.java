package org.msa4james.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.lettuce.core.RedisURI;

class RedisSettingsTest {
    private static Optional<RedisSettings> settings(String url, String timeout, String prefix) {
        Map<String, String> properties = new HashMap<>();
        properties.put(RedisSettings.URL, url);
        properties.put(RedisSettings.TIMEOUT, timeout);
        properties.put(RedisSettings.KEY_PREFIX, prefix);
        return RedisSettings.from(properties::get);
    }

    private static RedisSettings url(String url) {
        return settings(url, null, null).orElseThrow();
    }

    @Nested
    class Url {
        @Test
        void unsetOrEmptyShouldMeanNoRedis() {
            assertThat(settings(null, "2s", "x:")).isEmpty();
            assertThat(settings("", null, null)).isEmpty();
            assertThat(settings("  ", null, null)).isEmpty();
        }

        @Test
        void hostPortAndDatabaseShouldBeRead() {
            RedisURI uri = url("redis://10.0.0.5:6380/3").uri();

            assertThat(uri.getHost()).isEqualTo("10.0.0.5");
            assertThat(uri.getPort()).isEqualTo(6380);
            assertThat(uri.getDatabase()).isEqualTo(3);
            assertThat(uri.isSsl()).isFalse();
            assertThat(uri.getPassword()).isNull();
        }

        @Test
        void portAndDatabaseShouldDefaultTo6379And0() {
            RedisURI uri = url("redis://redis.example.test").uri();

            assertThat(uri.getHost()).isEqualTo("redis.example.test");
            assertThat(uri.getPort()).isEqualTo(6379);
            assertThat(uri.getDatabase()).isZero();
            assertThat(url("redis://redis.example.test/").uri().getDatabase()).isZero();
        }

        @Test
        void redissShouldUseTls() {
            assertThat(url("rediss://redis.example.test:6390/0").uri().isSsl()).isTrue();
        }

        @Test
        void aPasswordAloneShouldBeRead() {
            RedisURI uri = url("redis://:s3cret@127.0.0.1:6379/0").uri();

            assertThat(uri.getUsername()).isNull();
            assertThat(uri.getPassword()).isEqualTo("s3cret".toCharArray());
        }

        @Test
        void aUserAndAPasswordShouldBeRead() {
            RedisURI uri = url("redis://msa:p%40ss%3Aword@127.0.0.1:6379/0").uri();

            assertThat(uri.getUsername()).isEqualTo("msa");
            assertThat(uri.getPassword()).isEqualTo("p@ss:word".toCharArray());
        }

        @Test
        void anIpv6LiteralShouldBeRead() {
            RedisSettings settings = url("redis://[::1]:6379/0");

            assertThat(settings.uri().getHost()).isEqualTo("::1");
            assertThat(settings.description()).isEqualTo("redis://[::1]:6379/0");
        }

        @Test
        void theDescriptionShouldNeverHoldThePassword() {
            RedisSettings settings = url("redis://msa:s3cret@127.0.0.1:6379/2");

            assertThat(settings.description()).isEqualTo("redis://****@127.0.0.1:6379/2");
            assertThat(settings.toString()).isEqualTo("redis://****@127.0.0.1:6379/2 (timeout 500ms, key prefix 'msa4james:')")
                .doesNotContain("s3cret");
        }

        @Test
        void anotherSchemeShouldBeRefused() {
            assertThatThrownBy(() -> url("http://127.0.0.1:6379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("msa.redis.url (MSA_REDIS_URL) must start with redis:// (or rediss:// for TLS): 'http://127.0.0.1:6379'");
            assertThatThrownBy(() -> url("127.0.0.1:6379"))
                .hasMessage("msa.redis.url (MSA_REDIS_URL) must start with redis:// (or rediss:// for TLS): '127.0.0.1:6379'");
        }

        @Test
        void aUrlWithoutHostShouldBeRefused() {
            assertThatThrownBy(() -> url("redis:///0"))
                .hasMessage("msa.redis.url (MSA_REDIS_URL) must name a host, e.g. redis://127.0.0.1:6379/0: 'redis:///0'");
        }

        @Test
        void aBadDatabaseShouldBeRefused() {
            assertThatThrownBy(() -> url("redis://127.0.0.1:6379/zero"))
                .hasMessage("msa.redis.url (MSA_REDIS_URL) has path '/zero'; the path is a database number, e.g. /0: "
                    + "'redis://127.0.0.1:6379/zero'");
        }

        @Test
        void aQueryShouldBeRefused() {
            assertThatThrownBy(() -> url("redis://127.0.0.1:6379/0?timeout=10s"))
                .hasMessage("msa.redis.url (MSA_REDIS_URL) takes no query (?...) or fragment (#...); the timeout is "
                    + "msa.redis.timeout (MSA_REDIS_TIMEOUT): 'redis://127.0.0.1:6379/0?timeout=10s'");
        }

        @Test
        void aBadPortShouldBeRefused() {
            assertThatThrownBy(() -> url("redis://127.0.0.1:70000/0"))
                .hasMessage("msa.redis.url (MSA_REDIS_URL) has port 70000; a port is 1 to 65535: 'redis://127.0.0.1:70000/0'");
        }

        @Test
        void aMalformedUrlShouldBeRefusedWithoutShowingItsPassword() {
            assertThatThrownBy(() -> url("redis://msa:s3cret@127.0.0.1:63 79/0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("msa.redis.url (MSA_REDIS_URL) is not a URL (")
                .hasMessageEndingWith("): 'redis://****@127.0.0.1:63 79/0'")
                .hasMessageNotContaining("s3cret");
        }
    }

    @Nested
    class Timeout {
        @Test
        void defaultShouldBe500Milliseconds() {
            assertThat(url("redis://127.0.0.1").timeout()).isEqualTo(Duration.ofMillis(500));
            assertThat(settings("redis://127.0.0.1", "", null).orElseThrow().timeout()).isEqualTo(Duration.ofMillis(500));
        }

        @Test
        void millisecondsAndSecondsShouldBeRead() {
            assertThat(settings("redis://127.0.0.1", "250ms", null).orElseThrow().timeout()).isEqualTo(Duration.ofMillis(250));
            assertThat(settings("redis://127.0.0.1", "2s", null).orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(settings("redis://127.0.0.1", "2s", null).orElseThrow().uri().getTimeout()).isEqualTo(Duration.ofSeconds(2));
        }

        @Test
        void theBoundsShouldBe10MillisecondsAnd10Seconds() {
            assertThat(settings("redis://127.0.0.1", "10ms", null).orElseThrow().timeout()).isEqualTo(Duration.ofMillis(10));
            assertThat(settings("redis://127.0.0.1", "10s", null).orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(10));
            assertThatThrownBy(() -> settings("redis://127.0.0.1", "9ms", null))
                .hasMessage("msa.redis.timeout (MSA_REDIS_TIMEOUT) must be from 10ms to 10s, not '9ms'");
            assertThatThrownBy(() -> settings("redis://127.0.0.1", "11s", null))
                .hasMessage("msa.redis.timeout (MSA_REDIS_TIMEOUT) must be from 10ms to 10s, not '11s'");
        }

        @Test
        void anotherFormShouldBeRefused() {
            assertThatThrownBy(() -> settings("redis://127.0.0.1", "1m", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("msa.redis.timeout (MSA_REDIS_TIMEOUT) must be a duration in ms or s such as 500ms or 2s, not '1m'");
            assertThatThrownBy(() -> settings("redis://127.0.0.1", "500", null))
                .hasMessage("msa.redis.timeout (MSA_REDIS_TIMEOUT) must be a duration in ms or s such as 500ms or 2s, not '500'");
        }
    }

    @Nested
    class KeyPrefix {
        @Test
        void defaultShouldBeMsa4james() {
            assertThat(url("redis://127.0.0.1").keyPrefix()).isEqualTo("msa4james:");
        }

        @Test
        void aPrefixShouldBeKept() {
            assertThat(settings("redis://127.0.0.1", null, "site-b:msa:").orElseThrow().keyPrefix()).isEqualTo("site-b:msa:");
        }

        @Test
        void spacesOrTooLongAPrefixShouldBeRefused() {
            assertThatThrownBy(() -> settings("redis://127.0.0.1", null, "site b"))
                .hasMessage("msa.redis.key.prefix (MSA_REDIS_KEY_PREFIX) must be 1 to 64 printable ASCII characters without "
                    + "spaces, not 'site b'");
            assertThatThrownBy(() -> settings("redis://127.0.0.1", null, "x".repeat(65)))
                .hasMessageStartingWith("msa.redis.key.prefix (MSA_REDIS_KEY_PREFIX) must be 1 to 64");
        }
    }
}
