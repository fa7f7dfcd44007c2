package dev.switchboard.client;

/**
 * The server's {@code welcome}: the identity of this connection.
 *
 * @param connection the connection id (changes on every reconnect)
 * @param session    the session id shared by connections with the same cookie
 * @param user       the authenticated user, or {@code null} on an anonymous endpoint
 * @param node       the gateway node serving the connection
 */
public record Welcome(String connection, String session, String user, String node) {
}
