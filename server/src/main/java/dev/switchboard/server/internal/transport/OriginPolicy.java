package dev.switchboard.server.internal.transport;

import dev.switchboard.protocol.GlobPattern;
import java.net.URI;
import java.util.List;

/**
 * Which browser origins may open WebSockets (cross-site WebSocket hijacking defence: browsers attach
 * cookies to cross-origin upgrades, so the Origin header is the only thing that tells them apart).
 * Always allowed: requests without Origin (non-browser clients) and the gateway's own host.
 */
public final class OriginPolicy {

    private final List<GlobPattern> allowed;
    private final boolean allowLocalhost;

    /**
     * @param allowed        origin globs, e.g. {@code https://app.example.com}, {@code https://*.example.com}; {@code *} allows all
     * @param allowLocalhost whether any {@code http(s)://localhost|127.0.0.1[:port]} origin is allowed (dev mode)
     */
    public OriginPolicy(List<GlobPattern> allowed, boolean allowLocalhost) {
        this.allowed = allowed;
        this.allowLocalhost = allowLocalhost;
    }

    /** Whether an upgrade with this Origin and Host header may proceed. */
    public boolean allows(String origin, String host) {
        if (origin == null || origin.isEmpty()) {
            return true;
        }
        if (GlobPattern.anyMatches(allowed, origin)) {
            return true;
        }
        try {
            URI uri = new URI(origin);
            String originHost = uri.getHost();
            if (originHost == null) {
                return false;
            }
            String originAuthority = uri.getPort() < 0 ? originHost : originHost + ":" + uri.getPort();
            if (host != null && (host.equalsIgnoreCase(originAuthority) || host.equalsIgnoreCase(originHost))) {
                return true;
            }
            return allowLocalhost && (originHost.equals("localhost") || originHost.equals("127.0.0.1")
                    || originHost.equals("[::1]") || originHost.equals("::1"));
        } catch (Exception e) {
            return false;
        }
    }
}
