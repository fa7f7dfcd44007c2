package dev.switchboard.server.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.PresenceEntry;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Who is in a channel, across all nodes, counted per user: the answers tell the hub when a user's first
 * connection joined ("join") and their last one left ("leave"). Memory and Redis implementations; entries
 * of a node that stops renewing them (it crashed) expire and are reported to {@link PresenceListener}.
 */
public interface PresenceManager extends AutoCloseable {

    /** Starts renewing this node's entries; expiries found from now on reach {@code listener}. */
    void start(PresenceListener listener);

    /** Records {@code connectionId} of {@code user} in {@code channel}; true when it is the user's first there. */
    CompletableFuture<Boolean> join(String channel, String user, String connectionId);

    /**
     * Records {@code connectionId} of {@code user} with what it says about the user ({@code info}, may be null:
     * the latest one given is kept while the user is present). An engine that keeps no info may ignore it.
     */
    default CompletableFuture<Boolean> join(String channel, String user, String connectionId, JsonNode info) {
        return join(channel, user, connectionId);
    }

    /** Removes an entry; true when it was the user's last connection in the channel. */
    CompletableFuture<Boolean> leave(String channel, String user, String connectionId);

    /** The users present in a channel with their connection counts (and info), sorted by user. */
    CompletableFuture<List<PresenceEntry>> presence(String channel);

    /** Removes this node's entries (a clean stop) and releases resources; idempotent. */
    @Override
    void close();
}
