package org.msa4james.autoconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.api.Test;

class AutoconfigConfigurationTest {
    static BaseConfiguration configuration(Map<String, String> values) {
        BaseConfiguration configuration = new BaseConfiguration();
        values.forEach(configuration::addProperty);
        return configuration;
    }

    static Map<String, String> shipped() {
        return Map.of("hostname", "mail.example.test", "bind", "127.0.0.1", "http.port", "80", "https.port", "443",
            "https.keystore", "file://conf/keystore.p12", "https.keystoreType", "PKCS12", "https.secret", "changeit");
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> values = new HashMap<>(shipped());
        values.put(key, value);
        return values;
    }

    @Test
    void shouldReadTheShippedKeysWithTheirDefaults() throws ConfigurationException {
        AutoconfigConfiguration.Listening listening = AutoconfigConfiguration.from(configuration(shipped())).listening().orElseThrow();

        assertThat(listening.hostName()).isEqualTo("mail.example.test");
        assertThat(listening.bind()).isEqualTo("127.0.0.1");
        assertThat(listening.httpPort()).isEqualTo(80);
        assertThat(listening.httpsPort()).isEqualTo(443);
        assertThat(listening.tls().orElseThrow().keystore()).isEqualTo("file://conf/keystore.p12");
        assertThat(listening.tls().orElseThrow().secret()).containsExactly("changeit".toCharArray());
        assertThat(listening.connectionLimit()).isEqualTo(200);
        assertThat(listening.connectionLimitPerIp()).isEqualTo(20);
        assertThat(listening.timeoutSeconds()).isEqualTo(10);
        assertThat(listening.toString()).doesNotContain("changeit");
    }

    @Test
    void portsZeroShouldSwitchTheListenerOffAndNeedNoKeystore() throws ConfigurationException {
        AutoconfigConfiguration configuration = AutoconfigConfiguration.from(configuration(
            Map.of("hostname", "mail.example.test", "bind", "0.0.0.0", "http.port", "0", "https.port", "0")));

        assertThat(configuration.listening().orElseThrow().enabled()).isFalse();
        assertThat(configuration.listening().orElseThrow().tls()).isEmpty();
        assertThat(configuration.hostName()).hasValue("mail.example.test");
    }

    @Test
    void withoutTheFileNothingListensAndNoHostIsKnown() {
        assertThat(AutoconfigConfiguration.off().listening()).isEmpty();
        assertThat(AutoconfigConfiguration.off().hostName()).isEmpty();
    }

    @Test
    void badValuesShouldStopTheStartNamingTheKey() {
        assertThatThrownBy(() -> AutoconfigConfiguration.from(configuration(with("http.port", "eighty"))))
            .hasMessage("conf/autoconfig.properties: http.port must be a port number from 1 to 65535, or 0 for none, not 'eighty'");
        assertThatThrownBy(() -> AutoconfigConfiguration.from(configuration(with("https.port", "65536"))))
            .hasMessageContaining("https.port must be a port number");
        assertThatThrownBy(() -> AutoconfigConfiguration.from(configuration(with("http.port", "${sys:msa.autoconfig.port}"))))
            .hasMessage("conf/autoconfig.properties: http.port refers to an undefined property: '${sys:msa.autoconfig.port}'");
        assertThatThrownBy(() -> AutoconfigConfiguration.from(configuration(with("hostname", "mail_server"))))
            .hasMessage("conf/autoconfig.properties: hostname must be a host name of letters, digits, hyphens and dots, not 'mail_server'");
        assertThatThrownBy(() -> AutoconfigConfiguration.from(configuration(with("timeout", "0"))))
            .hasMessage("conf/autoconfig.properties: timeout must be a positive integer, not '0'");
        assertThatThrownBy(() -> AutoconfigConfiguration.from(configuration(with("connectionLimitPerIP", "-1"))))
            .hasMessage("conf/autoconfig.properties: connectionLimitPerIP must be a positive integer, not '-1'");
    }

    @Test
    void httpsWithoutItsSecretShouldStopTheStartWithoutPrintingAValue() {
        assertThatThrownBy(() -> AutoconfigConfiguration.from(configuration(with("https.secret", "${sys:msa.keystore.secret}"))))
            .hasMessage("conf/autoconfig.properties: https.secret, the password of the keystore, is not set "
                + "(bin/msa4james sets msa.keystore.secret)");
    }

    @Test
    void anUnknownKeyShouldStopTheStart() {
        assertThatThrownBy(() -> AutoconfigConfiguration.from(configuration(with("htps.port", "443"))))
            .hasMessage("conf/autoconfig.properties: unknown key 'htps.port'; known keys: bind, connectionLimit, "
                + "connectionLimitPerIP, hostname, http.port, https.keystore, https.keystoreType, https.port, https.secret, timeout");
    }

    @Test
    void theShippedFileShouldHaveEveryKnownKeyAndNoOther() throws Exception {
        Properties shippedFile = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/conf/autoconfig.properties"))) {
            shippedFile.load(in);
        }

        assertThat(shippedFile).containsOnlyKeys("hostname", "bind", "http.port", "https.port", "https.keystore",
            "https.keystoreType", "https.secret", "connectionLimit", "connectionLimitPerIP", "timeout");
        assertThat(shippedFile).containsEntry("hostname", "${sys:msa.hostname}")
            .containsEntry("bind", "${sys:msa.bind}")
            .containsEntry("http.port", "${sys:msa.autoconfig.port}")
            .containsEntry("https.port", "${sys:msa.autoconfigs.port}")
            .containsEntry("https.secret", "${sys:msa.keystore.secret}");
    }
}
