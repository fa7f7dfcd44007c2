package dev.switchboard.client;

/**
 * A user's first connection joined a channel, or their last one left it.
 *
 * @param channel the channel
 * @param joined  {@code true} for {@code join}, {@code false} for {@code leave}
 * @param user    the user id
 * @param ts      server time in ms since the epoch
 */
public record PresenceEvent(String channel, boolean joined, String user, long ts) {
}
