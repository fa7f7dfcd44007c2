package dev.switchboard.client;

import java.time.Duration;

/**
 * A change of connection state, as delivered to a {@link ConnectionListener}.
 *
 * @param state         the new state
 * @param closeCode     for {@link ConnectionState#DISCONNECTED}: the WebSocket close code (1006 when the socket
 *                      failed without a close frame, e.g. connection refused); 0 otherwise
 * @param reason        for {@link ConnectionState#DISCONNECTED}: the close reason or failure; empty otherwise
 * @param willReconnect for {@link ConnectionState#DISCONNECTED}: whether the client will try again by itself
 *                      (false after {@link SwitchboardClient#close()} and close codes 4003 and 4009)
 * @param retryIn       when {@code willReconnect}: the jittered delay before the next attempt; else {@code null}
 * @param welcome       for {@link ConnectionState#CONNECTED}: who the server says we are; else {@code null}
 */
public record ConnectionEvent(ConnectionState state, int closeCode, String reason, boolean willReconnect,
                              Duration retryIn, Welcome welcome) {

    static ConnectionEvent connecting() {
        return new ConnectionEvent(ConnectionState.CONNECTING, 0, "", false, null, null);
    }

    static ConnectionEvent connected(Welcome welcome) {
        return new ConnectionEvent(ConnectionState.CONNECTED, 0, "", false, null, welcome);
    }

    static ConnectionEvent disconnected(int code, String reason, Duration retryIn) {
        return new ConnectionEvent(ConnectionState.DISCONNECTED, code, reason == null ? "" : reason,
                retryIn != null, retryIn, null);
    }
}
