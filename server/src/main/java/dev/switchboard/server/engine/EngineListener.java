package dev.switchboard.server.engine;

/** Callbacks from an {@link Engine} to the node's hub. Called from engine threads: implementations must not block. */
public interface EngineListener {

    /** A publication in a channel this node subscribed to (including the node's own publications). */
    void onPublication(Publication publication);

    /** An encoded frame for this node's connections matching {@code target}. */
    void onDelivery(Target target, byte[] frame);

    /** Close this node's connections matching {@code target}. */
    void onDisconnect(Target target, int code, String reason);

    /**
     * {@code user}'s last presence entry in {@code channel} expired because the node holding it stopped
     * renewing it (it crashed). Reported to exactly one node, which should announce the "leave".
     */
    default void onPresenceExpired(String channel, String user) {
    }

    /** Open connections on this node, for the node's report to the others. */
    default int connectionCount() {
        return 0;
    }

    /** Distinct users connected to this node, for the node's report to the others. */
    default int userCount() {
        return 0;
    }
}
