package dev.switchboard.server.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Publication;
import dev.switchboard.server.engine.BatchEntry;
import java.util.List;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** What a {@link Bridge} may do with its gateway node. */
public interface BridgeContext {

    /** This node's id (a client id on the platform side). */
    String nodeId();

    /**
     * Publishes like the HTTP API: stored with an offset, then delivered. A repeat of {@code idempotencyKey}
     * in the channel within its dedup window publishes nothing and completes with the first publication.
     */
    CompletableFuture<Publication> publish(String channel, String from, JsonNode data, String idempotencyKey);

    /**
     * Publishes several publications of one channel, in order, each as {@link #publish} would (with its own
     * idempotency key), in one engine round trip where the engine allows it. Fails as a whole.
     */
    default CompletableFuture<List<Publication>> publishBatch(String channel, List<BatchEntry> entries) {
        return BatchEntry.oneByOne(entries, e -> publish(channel, e.from(), e.data(), e.idempotencyKey()));
    }

    /** Tells {@code listener} of every publication stored through this node, after it is stored. */
    void onPublished(Consumer<Publication> listener);

    MeterRegistry metrics();
}
