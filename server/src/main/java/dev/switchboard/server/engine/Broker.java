package dev.switchboard.server.engine;

import dev.switchboard.protocol.Publication;

import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.protocol.HistoryPage;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/**
 * Carries what must reach every gateway node: channel publications (with offsets and history) and targeted
 * frames and disconnects. The hub calls it and hears back through {@link BrokerListener}, so one node and
 * many nodes take the same path. Implementations: {@code memory} (one node, the embedded default) and
 * {@code redis} (any number of nodes); a third is a new class, handed to the gateway as {@link Engines}.
 *
 * <p>All methods are non-blocking. A future fails with {@link EngineUnavailableException} when the backing
 * store cannot be reached; callers turn that into an {@code unavailable} error / HTTP 503.
 */
public interface Broker extends AutoCloseable {

    /** Starts the broker; from now on this node's publications, deliveries and disconnects reach {@code listener}. */
    void start(BrokerListener listener);

    /**
     * Assigns the next offset and a server timestamp, stores the publication in the channel's history (within
     * retention) and hands it to every node subscribed to the channel, this one included.
     *
     * @param idempotencyKey null, or a key naming this publication: a second publish with the same key in the
     *                       same channel within {@link RetentionRules#dedupWindowFor} stores and delivers
     *                       nothing and completes with the first publication (atomically, on any node)
     */
    CompletableFuture<Publication> publish(String channel, String from, JsonNode data, String idempotencyKey);

    /**
     * Publishes several publications of one channel, in order, exactly as {@link #publish} would one after
     * the other (each with its own idempotency key), in one round trip where the engine allows it: the memory
     * engine under one lock, Redis in one script. Completes with the publications in order (for a repeat,
     * the first publication); fails as a whole.
     */
    default CompletableFuture<java.util.List<Publication>> publishBatch(String channel,
                                                                       java.util.List<BatchEntry> entries) {
        return BatchEntry.oneByOne(entries, e -> publish(channel, e.from(), e.data(), e.idempotencyKey()));
    }

    /** This node now has local subscribers for {@code channel}. Reference counting is the caller's job. */
    CompletableFuture<Void> subscribe(String channel);

    /** This node no longer has local subscribers for {@code channel}. */
    CompletableFuture<Void> unsubscribe(String channel);

    /** Hands an encoded frame to every node, each of which delivers it to its connections matching {@code target}. */
    CompletableFuture<Void> deliver(Target target, byte[] frame);

    /** Asks every node to close its connections matching {@code target} with {@code code} and {@code reason}. */
    CompletableFuture<Void> disconnect(Target target, int code, String reason);

    /** Reads a channel's retained history; also tells the channel's current position. */
    CompletableFuture<HistoryPage<Publication>> history(String channel, HistoryQuery query);

    /** The channel's current top offset and epoch, without reading publications. */
    CompletableFuture<StreamPosition> position(String channel);

    /** Whether the broker can serve requests now (drives {@code /readyz}). */
    boolean isReady();

    /** A short name for logs: "memory", "redis". */
    String name();

    /**
     * Messages the broker dropped from its backplane instead of trusting them, by reason (a shared store is
     * input too); empty for a broker without one.
     */
    default java.util.Map<String, Long> dropped() {
        return java.util.Map.of();
    }

    /** Releases connections and timers; idempotent. */
    @Override
    void close();
}
