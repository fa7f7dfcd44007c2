package dev.switchboard.client;

/** Where a {@link SwitchboardClient}'s connection is in its life. */
public enum ConnectionState {
    /** Obtaining a ticket, opening the socket, or waiting for the server's {@code welcome}. */
    CONNECTING,
    /** The server sent {@code welcome}: requests flow and subscriptions are live. */
    CONNECTED,
    /** No connection; see {@link ConnectionEvent#willReconnect()} for whether one is on its way. */
    DISCONNECTED
}
