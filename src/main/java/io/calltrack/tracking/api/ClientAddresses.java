package io.calltrack.tracking.api;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Whose request this is, for per-visitor limits. Behind a reverse proxy every connection comes from the proxy, and
 * the visitor's address is in a header the proxy appends to ({@code X-Forwarded-For}). The header's left-most entries
 * are whatever the client wrote, so the visitor is the right-most address that is not one of ours: the header is
 * read only from a trusted proxy, and trusted entries are skipped from the right. Entries are never resolved by DNS.
 */
public final class ClientAddresses {
    private final Optional<String> header;
    private final List<IpSubnetFilterRule> trusted;

    /** {@code trustedProxies}: addresses or CIDR ranges ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). */
    public ClientAddresses(Optional<String> header, List<String> trustedProxies) {
        this.header = header;
        this.trusted = trustedProxies.stream().map(ClientAddresses::rule).toList();
    }

    /** The rules a configuration line gives, or IllegalArgumentException naming the entry that is no address. */
    private static IpSubnetFilterRule rule(String entry) {
        String[] parts = entry.trim().split("/", 2);
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(parts[0]);
        if (ip == null) throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range");
        int bits = ip.length * 8;
        int prefix;
        try {
            prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + entry + "' has no valid prefix length");
        }
        if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("'" + entry + "' has no valid prefix length");
        return new IpSubnetFilterRule(parts[0], prefix, IpFilterRuleType.ACCEPT);
    }

    /** The visitor's address: {@code remote} itself unless it is a trusted proxy that names the visitor. */
    public String of(String remote, Optional<String> headerValue) {
        if (header.isEmpty() || !isTrusted(remote)) return remote;
        String[] hops = headerValue.orElse("").split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty()) continue;
            if (!isTrusted(hop)) return hop;
            if (i == 0) return hop; // every hop is ours: the first one is as far back as we can see
        }
        return remote;
    }

    public Optional<String> header() {
        return header;
    }

    /** Whether {@code address} is one of {@code tracking.trusted-proxies} (whose forwarded headers are believed). */
    public boolean isTrusted(String address) {
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(address);
        if (ip == null) return false;
        try {
            InetSocketAddress a = new InetSocketAddress(InetAddress.getByAddress(ip), 0);
            return trusted.stream().anyMatch(r -> r.matches(a));
        } catch (UnknownHostException impossible) {
            return false;
        }
    }
}
