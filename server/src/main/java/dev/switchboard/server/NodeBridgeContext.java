package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Publication;
import dev.switchboard.server.engine.BatchEntry;
import java.util.List;
import dev.switchboard.server.bridge.BridgeContext;
import dev.switchboard.server.internal.operations.Operations;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A bridge's view of its node: the operations' publish (the one the HTTP API takes) and its publications. */
record NodeBridgeContext(Operations operations, String nodeId, MeterRegistry metrics) implements BridgeContext {

    @Override
    public CompletableFuture<Publication> publish(String channel, String from, JsonNode data, String idempotencyKey) {
        return operations.publish(channel, from, data, idempotencyKey);
    }

    @Override
    public CompletableFuture<List<Publication>> publishBatch(String channel, List<BatchEntry> entries) {
        return operations.publishBatch(channel, entries);
    }

    @Override
    public void onPublished(Consumer<Publication> listener) {
        operations.onPublished(listener);
    }
}
