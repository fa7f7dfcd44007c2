package dev.switchboard.server.internal.observe;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies whose {@code X-Forwarded-For} is believed ({@code --trusted-proxies}: addresses or CIDR ranges).
 * Anyone can send the header, so it is read only when the socket's peer is one of them, and then from the
 * right: the rightmost address that is not itself a trusted proxy is the client (the left part is whatever the
 * client wrote).
 */
public final class TrustedProxies {

    /** Believes no one: the socket's peer is the client. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<IpSubnetFilterRule> ranges;

    private TrustedProxies(List<IpSubnetFilterRule> ranges) {
        this.ranges = ranges;
    }

    /** Parses {@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code ::1}, …; a malformed entry fails the start. */
    public static TrustedProxies parse(List<String> specs) {
        List<IpSubnetFilterRule> ranges = new ArrayList<>();
        for (String raw : specs) {
            String spec = raw.trim();
            if (spec.isEmpty()) {
                continue;
            }
            int slash = spec.indexOf('/');
            String ip = slash < 0 ? spec : spec.substring(0, slash);
            int bits;
            try {
                bits = slash < 0 ? (ip.contains(":") ? 128 : 32) : Integer.parseInt(spec.substring(slash + 1));
                ranges.add(new IpSubnetFilterRule(ip, bits, IpFilterRuleType.ACCEPT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--trusted-proxies: not an address or CIDR range: " + spec);
            }
        }
        return ranges.isEmpty() ? NONE : new TrustedProxies(List.copyOf(ranges));
    }

    /** Whether any proxy is trusted (when not, the header is never looked at). */
    public boolean any() {
        return !ranges.isEmpty();
    }

    /**
     * The client's address: the socket peer's, or, when the peer is trusted, the rightmost untrusted entry of
     * {@code forwardedFor} (every entry trusted: the leftmost). "" when the peer is unknown.
     */
    public String clientAddress(SocketAddress peer, String forwardedFor) {
        if (!(peer instanceof InetSocketAddress socket) || socket.getAddress() == null) {
            return "";
        }
        String direct = socket.getAddress().getHostAddress();
        if (forwardedFor == null || !isTrusted(socket)) {
            return direct;
        }
        String[] hops = forwardedFor.split(",");
        String candidate = direct;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            InetSocketAddress parsed = literal(hop);
            if (parsed == null) {
                return candidate; // garbage left of here was written by someone we do not trust
            }
            candidate = parsed.getAddress().getHostAddress();
            if (!isTrusted(parsed)) {
                return candidate;
            }
        }
        return candidate;
    }

    private boolean isTrusted(InetSocketAddress address) {
        for (IpSubnetFilterRule r : ranges) {
            if (r.matches(address)) {
                return true;
            }
        }
        return false;
    }

    /** An IP literal (never a DNS lookup: the header is input), or null. */
    private static InetSocketAddress literal(String hop) {
        String ip = hop.startsWith("[") && hop.contains("]") ? hop.substring(1, hop.indexOf(']')) : hop;
        if (!io.netty.util.NetUtil.isValidIpV4Address(ip) && !io.netty.util.NetUtil.isValidIpV6Address(ip)) {
            return null;
        }
        byte[] bytes = io.netty.util.NetUtil.createByteArrayFromIpAddressString(ip);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), 0);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
