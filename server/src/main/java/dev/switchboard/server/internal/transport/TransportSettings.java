package dev.switchboard.server.internal.transport;

import java.time.Duration;

/**
 * Network-level settings and limits.
 *
 * @param host               bind address
 * @param port               bind port (0 = any free port)
 * @param transport          the socket transport (auto, io_uring, epoll, nio)
 * @param ioThreads          event-loop threads (0 = {@link #defaultIoThreads})
 * @param maxMessageSize     largest inbound WebSocket message in bytes (bigger: close 1009)
 * @param maxHttpBody        largest HTTP request body in bytes (bigger: 413)
 * @param maxOutboundBytes   unsent bytes a connection may accumulate before it is closed as a slow consumer
 * @param permessageDeflate  whether permessage-deflate may be negotiated
 * @param secureCookies      whether the session cookie is marked {@code Secure} (behind TLS)
 * @param pingInterval       how often the server pings every connection
 * @param idleTimeout        silence after which a connection is closed (4000)
 * @param authTimeout        time a connection has to authenticate (4001)
 * @param drainTimeout       how long shutdown waits for connections to close
 * @param headerTimeout      time a new HTTP connection (or a kept-alive one, for its next request) has to send
 *                           complete request headers before it is closed
 * @param httpIdleTimeout    how long a kept-alive HTTP connection may sit between requests
 * @param maxConnections     WebSocket connections the node accepts (beyond: 503 at the upgrade)
 * @param maxPerAddress      WebSocket connections from one remote address (beyond: 503 at the upgrade)
 * @param handshakesPerSecond upgrade attempts per second from one address, burst twice that (beyond: 503; 0 = off)
 * @param shutdownSpread     how long the closing of the connections is spread over at shutdown
 * @param tls                TLS on the port, or null for plain HTTP
 */
public record TransportSettings(String host, int port, IoTransport transport, int ioThreads, int maxMessageSize, int maxHttpBody,
                                long maxOutboundBytes, boolean permessageDeflate, boolean secureCookies,
                                Duration pingInterval, Duration idleTimeout, Duration authTimeout,
                                Duration drainTimeout, Duration headerTimeout, Duration httpIdleTimeout,
                                int maxConnections, int maxPerAddress, double handshakesPerSecond,
                                Duration shutdownSpread, ServerTls tls) {

    /**
     * Event loops when none are configured: one per two cores, at least one. Netty's own default (two per core)
     * was measured on 2 cores at a third of the fan-out throughput of one loop (95k against 288k deliveries/s,
     * 10,000 subscribers) and at half the connects per CPU-second: a publication is handed to every loop that
     * holds subscribers, so each extra loop adds a cross-thread wake-up per publication, and the other cores
     * are what runs the handlers' virtual threads, the GC and the JIT.
     */
    public static int defaultIoThreads(int cores) {
        return Math.max(1, cores / 2);
    }

    /** The event-loop count in force. */
    public int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : defaultIoThreads(Runtime.getRuntime().availableProcessors());
    }
}
