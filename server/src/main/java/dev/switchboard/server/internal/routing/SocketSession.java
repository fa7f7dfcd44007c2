package dev.switchboard.server.internal.routing;

import dev.switchboard.server.internal.delivery.Connection;
import java.util.Map;

/**
 * What a WebSocket connection's frames are handed to: the native {@link Client}, or another protocol's session
 * (Pusher's). The transport knows nothing else of the protocol spoken; limits, heartbeats, the access log and
 * the registry are the same for every protocol.
 */
public interface SocketSession {

    /** The connection this session drives. */
    Connection connection();

    /** The upgrade completed: admit (or refuse) the connection and greet it. */
    void start(String queryToken, Map<String, String> headers);

    /** One inbound text message, as UTF-8. */
    void onText(byte[] utf8);

    /** A control frame (ping) counts against the same rate limit as messages; false: do not answer it. */
    boolean admitControl();

    /** The socket closed: leave every registry and channel. */
    void onClosed();
}
