package dev.switchboard.server.app;

import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.protocol.PresenceEntry;
import dev.switchboard.protocol.Publication;
import dev.switchboard.server.engine.HistoryQuery;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What an application can do to the gateway from outside a handler ({@code gateway.api()}): the same
 * operations, with the same checks, listeners and traces, as the HTTP API, the admin API and the bridges.
 * Data is any Jackson-serialisable value. Sends and disconnects reach every node of a cluster; failures
 * complete the futures exceptionally ({@code ProtocolException} for bad input, {@code EngineUnavailableException}
 * when the engine cannot be reached).
 */
public interface GatewayApi {

    /** Publishes to a channel (stored, offset, delivered to every subscriber on every node). */
    default CompletableFuture<Publication> publish(String channel, Object data) {
        return publish(channel, null, data, null);
    }

    /**
     * Publishes as {@code from} (may be null); with an {@code idempotencyKey}, a publication already made with
     * that key in the channel within the dedup window is returned instead of made again.
     */
    CompletableFuture<Publication> publish(String channel, String from, Object data, String idempotencyKey);

    /** Sends to every connection of {@code user}. */
    CompletableFuture<Void> sendToUser(String user, Object data);

    /** Sends to one connection, on whichever node holds it. */
    CompletableFuture<Void> sendToConnection(String connectionId, Object data);

    /** Sends to every connection of one browser session. */
    CompletableFuture<Void> sendToSession(String sessionId, Object data);

    /** Sends to every connection on {@code endpoint} (every endpoint when null). */
    CompletableFuture<Void> broadcast(String endpoint, Object data);

    /** Closes every connection of {@code user}, on every node, with the "kicked" close code. */
    CompletableFuture<Void> disconnectUser(String user, String reason);

    /** Closes one connection, wherever it is, with the "kicked" close code. */
    CompletableFuture<Void> disconnectConnection(String connectionId, String reason);

    /** Who is in a channel, cluster-wide; fails with {@code bad_request} when the channel keeps no presence. */
    CompletableFuture<List<PresenceEntry>> presence(String channel);

    /** A page of a channel's history (at most 1000 publications). */
    CompletableFuture<HistoryPage<Publication>> history(String channel, HistoryQuery query);

    /** The connections of {@code user} on this node. */
    List<ConnectionView> connectionsOf(String user);

    /** Every node's counts (this node's live, the others' as last reported). */
    CompletableFuture<ClusterView> cluster();
}
