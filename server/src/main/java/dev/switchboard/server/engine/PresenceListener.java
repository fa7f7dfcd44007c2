package dev.switchboard.server.engine;

/** Hears of presence that ended without a {@code leave}: the node holding it stopped renewing it. */
@FunctionalInterface
public interface PresenceListener {

    /** {@code user}'s last entry in {@code channel} expired; reported to exactly one node, which announces the leave. */
    void onPresenceExpired(String channel, String user);
}
