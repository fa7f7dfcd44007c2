package dev.switchboard.server.internal.routing;

import dev.switchboard.server.internal.delivery.Connection;
import java.util.List;
import java.util.Map;

/**
 * A WebSocket protocol other than the native envelope, served on paths of its own (Pusher's {@code /app/{key}}):
 * the transport upgrades the socket as for a native endpoint and hands its frames to the session this returns.
 */
public interface SocketProtocol {

    /** Whether upgrades to {@code path} are this protocol's. */
    boolean serves(String path);

    /** The session of a new connection on {@code path} with its query parameters. */
    SocketSession open(Connection connection, String path, Map<String, List<String>> query);

    /**
     * How this protocol tells a client that the node is full, inside the WebSocket (Pusher's {@code 4100}), or
     * null to refuse the upgrade with HTTP 503 as the native protocol does.
     */
    default Refusal overCapacity() {
        return null;
    }

    /** A text frame to send once upgraded, then the close code and reason. */
    record Refusal(byte[] frame, int code, String reason) {
    }
}
