package dev.switchboard.server.engine;

/**
 * Who a delivery or disconnect is for. Resolved by each node against its own connections.
 *
 * @param kind     the registry to look in
 * @param id       connection id, session id, user id or channel name; {@code null} for {@link Kind#ALL}
 * @param endpoint for {@link Kind#ALL}: only connections on this endpoint path ({@code null}: every endpoint)
 * @param exclude  a connection id to skip (a broadcast that excludes its sender), or {@code null}
 */
public record Target(Kind kind, String id, String endpoint, String exclude) {

    /** The registries a target can name. */
    public enum Kind { CONNECTION, SESSION, USER, CHANNEL, ALL }

    public static Target connection(String id) {
        return new Target(Kind.CONNECTION, id, null, null);
    }

    public static Target session(String id) {
        return new Target(Kind.SESSION, id, null, null);
    }

    public static Target user(String id) {
        return new Target(Kind.USER, id, null, null);
    }

    /** A channel's subscribers, without storing anything in history (presence events use this). */
    public static Target channel(String name) {
        return new Target(Kind.CHANNEL, name, null, null);
    }

    public static Target all(String endpoint, String exclude) {
        return new Target(Kind.ALL, null, endpoint, exclude);
    }
}
