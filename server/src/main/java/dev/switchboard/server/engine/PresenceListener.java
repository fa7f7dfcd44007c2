package dev.switchboard.server.engine;

/** Hears of presence that ended without a {@code leave}: the node holding it stopped renewing it. */
public interface PresenceListener {

    /** {@code user}'s last entry in {@code channel} expired; reported to exactly one node, which announces the leave. */
    void onPresenceExpired(String channel, String user);

    /**
     * This node's heartbeat wrote {@code user}'s entry in {@code channel} and it is the user's first there: the
     * entry had expired while the node could not renew it (paused, cut off: its "leave" was announced), or its
     * join never reached the engine. Either way this is the "join" to announce.
     */
    default void onPresenceRestored(String channel, String user) {
    }
}
