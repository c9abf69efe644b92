package org.msa4james.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.net.InetAddresses;

/**
 * A set of IP networks (IPv4 and IPv6, CIDR notation or single addresses), parsed from configuration
 * without any name lookup.
 */
public final class TrustedNetworks {
    private static final TrustedNetworks NONE = new TrustedNetworks(ImmutableList.of());

    private final List<Network> networks;

    private TrustedNetworks(List<Network> networks) {
        this.networks = ImmutableList.copyOf(networks);
    }

    public static TrustedNetworks none() {
        return NONE;
    }

    /**
     * Parses networks separated by commas or white space, e.g. {@code "192.0.2.0/24, 2001:db8::/32, 198.51.100.7"}.
     * Blank means no network.
     *
     * @throws IllegalArgumentException naming the entry that is not an IP address or CIDR network
     */
    public static TrustedNetworks parse(String specification) {
        if (specification == null || specification.isBlank()) {
            return NONE;
        }
        return new TrustedNetworks(Splitter.onPattern("[,\\s]+").trimResults().omitEmptyStrings()
            .splitToStream(specification)
            .map(Network::parse)
            .collect(Collectors.toList()));
    }

    public boolean contains(InetAddress address) {
        Objects.requireNonNull(address);
        return networks.stream().anyMatch(network -> network.contains(address));
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    @Override
    public String toString() {
        return networks.stream().map(Network::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    private static final class Network {
        private final byte[] prefix;
        private final int prefixLength;

        private Network(byte[] prefix, int prefixLength) {
            this.prefix = prefix;
            this.prefixLength = prefixLength;
        }

        static Network parse(String entry) {
            int slash = entry.indexOf('/');
            String addressPart = slash < 0 ? entry : entry.substring(0, slash);
            if (!InetAddresses.isInetAddress(addressPart)) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or a CIDR network");
            }
            byte[] address = InetAddresses.forString(addressPart).getAddress();
            int maxLength = address.length * 8;
            int length = maxLength;
            if (slash >= 0) {
                try {
                    length = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + entry + "' has no valid prefix length after '/'");
                }
                if (length < 0 || length > maxLength) {
                    throw new IllegalArgumentException("'" + entry + "' has a prefix length outside 0.." + maxLength);
                }
            }
            return new Network(address, length);
        }

        boolean contains(InetAddress candidate) {
            byte[] address = candidate.getAddress();
            if (address.length != prefix.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int remainingBits = prefixLength % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = (0xFF << (8 - remainingBits)) & 0xFF;
            return (address[fullBytes] & mask) == (prefix[fullBytes] & mask);
        }

        @Override
        public String toString() {
            try {
                return InetAddresses.toAddrString(InetAddress.getByAddress(prefix)) + "/" + prefixLength;
            } catch (UnknownHostException e) {
                throw new IllegalStateException("an address of " + prefix.length + " bytes", e);
            }
        }
    }
}
