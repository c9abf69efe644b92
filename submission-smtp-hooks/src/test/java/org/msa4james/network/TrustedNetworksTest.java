package org.msa4james.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedNetworksTest {
    private final TrustedNetworks networks = TrustedNetworks.parse("192.0.2.0/24, 198.51.100.7\n 10.20.0.0/23 2001:db8::/32");

    @ParameterizedTest(name = "{0} trusted: {1}")
    @CsvSource({
        "192.0.2.0, true",
        "192.0.2.255, true",
        "192.0.3.0, false",
        "198.51.100.7, true",
        "198.51.100.8, false",
        "10.20.1.255, true",
        "10.20.2.0, false",
        "2001:db8::1, true",
        "2001:db8:ffff::1, true",
        "2001:db9::1, false",
        "::ffff:192.0.2.9, true",
        "127.0.0.1, false"})
    void containsShouldMatchByPrefix(String address, boolean expected) throws UnknownHostException {
        assertThat(networks.contains(InetAddress.getByName(address))).isEqualTo(expected);
    }

    @Test
    void parseShouldGiveNoNetworkWhenBlank() throws UnknownHostException {
        assertThat(TrustedNetworks.parse(" ").isEmpty()).isTrue();
        assertThat(TrustedNetworks.parse(null).contains(InetAddress.getByName("127.0.0.1"))).isFalse();
    }

    @Test
    void zeroPrefixShouldMatchEveryAddressOfItsFamily() throws UnknownHostException {
        TrustedNetworks all = TrustedNetworks.parse("0.0.0.0/0");

        assertThat(all.contains(InetAddress.getByName("203.0.113.9"))).isTrue();
        assertThat(all.contains(InetAddress.getByName("2001:db8::1"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mail.example.com", "192.0.2.0/33", "2001:db8::/129", "192.0.2.0/-1", "192.0.2.0/x", "192.0.2", "300.1.1.1"})
    void parseShouldRejectWhatIsNoAddressOrNetwork(String entry) {
        assertThatThrownBy(() -> TrustedNetworks.parse("192.0.2.0/24, " + entry))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("'" + entry + "'");
    }

    @Test
    void toStringShouldListTheNetworks() {
        assertThat(networks).hasToString("[192.0.2.0/24, 198.51.100.7/32, 10.20.0.0/23, 2001:db8::/32]");
    }
}
