package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.bridge.BridgeContext;
import dev.switchboard.protocol.Publication;
import dev.switchboard.server.internal.delivery.Hub;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A bridge's view of its node: the hub's publish path (the one the HTTP API takes) and its publications. */
record HubBridgeContext(Hub hub, String nodeId, MeterRegistry metrics) implements BridgeContext {

    @Override
    public CompletableFuture<Publication> publish(String channel, String from, JsonNode data, String idempotencyKey) {
        return hub.publish(channel, from, data, idempotencyKey);
    }

    @Override
    public void onPublished(Consumer<Publication> listener) {
        hub.onPublished(listener);
    }
}
