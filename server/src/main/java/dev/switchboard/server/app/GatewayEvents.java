package dev.switchboard.server.app;

/**
 * Things that happened, told to whoever listens (application code, webhooks). Unlike {@link LifecycleHooks}
 * nothing waits for an answer. Called one event at a time, in the order they happened, on a virtual thread of
 * the node's (never on an event loop): a listener may block, but it delays the events after it. Channel and
 * presence events are cluster-wide and told by exactly one node.
 */
public interface GatewayEvents {

    /** A connection was let in (it got its {@code welcome}). */
    default void connected(ConnectionInfo connection) {
    }

    /** A let-in connection closed; {@code code} is the server's close code, 0 when the client or network closed it. */
    default void disconnected(ConnectionInfo connection, int code, String reason) {
    }

    /** A channel got its first subscriber in the cluster. */
    default void channelOccupied(String channel) {
    }

    /** A channel lost its last subscriber in the cluster. */
    default void channelVacated(String channel) {
    }

    /** A user's first connection joined a presence channel. */
    default void presenceJoined(String channel, String user) {
    }

    /** A user's last connection left a presence channel. */
    default void presenceLeft(String channel, String user) {
    }

    /** Whether {@link #channelOccupied}/{@link #channelVacated} are wanted: tracking them costs engine calls. */
    default boolean wantsOccupancy() {
        return false;
    }

    /**
     * Whether {@link #disconnected} is wanted for connections of a node that died (kill -9, lost machine): each
     * connection then holds a lease in the engine that its node renews, and a surviving node announces the
     * disconnect of every connection whose lease expired (reason {@code node_lost}), exactly once.
     */
    default boolean wantsDisconnects() {
        return false;
    }

    /** Nobody listens. */
    GatewayEvents NONE = new GatewayEvents() {
    };

    /**
     * A connection as events describe it.
     *
     * @param connection  its id
     * @param user        its user, {@code null} when anonymous
     * @param endpoint    its endpoint path
     * @param remoteAddr  the peer's IP address
     * @param connectedAt when it opened, ms since the epoch
     */
    record ConnectionInfo(String connection, String user, String endpoint, String remoteAddr, long connectedAt) {
    }
}
