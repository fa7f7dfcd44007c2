package dev.switchboard.server.engine;

/** Hears of presence that ended without a {@code leave}: the node holding it stopped renewing it. */
public interface PresenceListener {

    /** {@code user}'s last entry in {@code channel} expired; reported to exactly one node, which announces the leave. */
    void onPresenceExpired(String channel, String user);

    /**
     * {@code user}'s entry in {@code channel}, reported expired earlier (its node could not renew it: paused,
     * cut off), was renewed again by this node and is the user's first there: the "join" that balances the
     * announced "leave".
     */
    default void onPresenceRestored(String channel, String user) {
    }
}
