package dev.switchboard.server.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Everything that must be shared between gateway nodes: channel publications (with offsets and history),
 * targeted deliveries, disconnect commands and presence. The hub above calls it; it calls the hub back
 * through {@link EngineListener}. Implementations: {@code memory} (one node, the embedded default) and
 * {@code redis} (any number of nodes). An engine knows nothing of sockets or connections' Netty channels.
 *
 * <p>All methods are non-blocking. A future fails with {@link EngineUnavailableException} when the backing
 * store cannot be reached; callers turn that into an {@code unavailable} error / HTTP 503.
 */
public interface Engine extends AutoCloseable {

    /** Starts the engine; from now on events for this node arrive at {@code listener}. */
    void start(EngineListener listener);

    /**
     * Assigns the next offset and a server timestamp, stores the publication in the channel's history (within
     * retention) and hands it to every node subscribed to the channel, this one included, via
     * {@link EngineListener#onPublication}.
     */
    CompletableFuture<Publication> publish(String channel, String from, JsonNode data);

    /** This node now has local subscribers for {@code channel}. Reference counting is the caller's job. */
    CompletableFuture<Void> subscribe(String channel);

    /** This node no longer has local subscribers for {@code channel}. */
    CompletableFuture<Void> unsubscribe(String channel);

    /** Hands an already encoded frame to every node, each of which delivers it to its connections matching {@code target}. */
    CompletableFuture<Void> deliver(Target target, byte[] frame);

    /** Asks every node to close its connections matching {@code target} with {@code code} and {@code reason}. */
    CompletableFuture<Void> disconnect(Target target, int code, String reason);

    /**
     * Records that {@code connectionId} of {@code user} is in {@code channel}'s presence.
     *
     * @return true when this is the user's first connection in the channel (across all nodes): a "join"
     */
    CompletableFuture<Boolean> join(String channel, String user, String connectionId);

    /**
     * Removes a presence entry.
     *
     * @return true when it was the user's last connection in the channel: a "leave"
     */
    CompletableFuture<Boolean> leave(String channel, String user, String connectionId);

    /** The users present in a channel with their connection counts, across all nodes. */
    CompletableFuture<List<PresenceEntry>> presence(String channel);

    /** Reads a channel's retained history; also tells the channel's current position. */
    CompletableFuture<HistoryPage> history(String channel, HistoryQuery query);

    /** The channel's current top offset and epoch, without reading publications. */
    CompletableFuture<StreamPosition> position(String channel);

    /** Whether the engine can serve requests now (drives {@code /readyz}). */
    boolean isReady();

    /**
     * The other nodes' latest reports of their counts, as the shared store knows them (nodes that stopped
     * reporting drop out within the presence TTL). A single-node engine knows no other node: empty.
     */
    default CompletableFuture<List<NodeInfo>> nodes() {
        return CompletableFuture.completedFuture(List.of());
    }

    /** A short name for logs and metrics: "memory", "redis". */
    String name();

    /** Releases connections and timers; idempotent. */
    @Override
    void close();
}
