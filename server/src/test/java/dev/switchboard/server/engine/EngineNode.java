package dev.switchboard.server.engine;

import dev.switchboard.protocol.PresenceEntry;

import dev.switchboard.protocol.Publication;

import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.protocol.HistoryPage;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One "node" of an engine test: a started {@link Engines} bundle reporting to a {@link RecordingListener},
 * with the broker's and the presence manager's calls side by side so a contract reads as one story.
 */
public final class EngineNode implements AutoCloseable {

    private final Engines engines;

    private EngineNode(Engines engines) {
        this.engines = engines;
    }

    /** Starts {@code engines} as node {@code nodeId}, reporting what it hears and its counts through {@code listener}. */
    public static EngineNode start(Engines engines, String nodeId, RecordingListener listener) {
        engines.start(listener, listener, () -> listener.report(nodeId));
        return new EngineNode(engines);
    }

    public Engines engines() {
        return engines;
    }

    public CompletableFuture<Publication> publish(String channel, String from, JsonNode data) {
        return publish(channel, from, data, null);
    }

    public CompletableFuture<Publication> publish(String channel, String from, JsonNode data, String idempotencyKey) {
        return engines.broker().publish(channel, from, data, idempotencyKey);
    }

    public CompletableFuture<java.util.List<Publication>> publishBatch(String channel,
                                                                      java.util.List<BatchEntry> entries) {
        return engines.broker().publishBatch(channel, entries);
    }

    public CompletableFuture<Void> subscribe(String channel) {
        return engines.broker().subscribe(channel);
    }

    public CompletableFuture<Void> unsubscribe(String channel) {
        return engines.broker().unsubscribe(channel);
    }

    public CompletableFuture<Void> deliver(Target target, byte[] frame) {
        return engines.broker().deliver(target, frame);
    }

    public CompletableFuture<Void> disconnect(Target target, int code, String reason) {
        return engines.broker().disconnect(target, code, reason);
    }

    public CompletableFuture<HistoryPage<Publication>> history(String channel, HistoryQuery query) {
        return engines.broker().history(channel, query);
    }

    public CompletableFuture<StreamPosition> position(String channel) {
        return engines.broker().position(channel);
    }

    public CompletableFuture<Boolean> join(String channel, String user, String connectionId) {
        return engines.presence().join(channel, user, connectionId);
    }

    public CompletableFuture<Boolean> join(String channel, String user, String connectionId,
                                           com.fasterxml.jackson.databind.JsonNode info) {
        return engines.presence().join(channel, user, connectionId, info);
    }

    public CompletableFuture<Boolean> leave(String channel, String user, String connectionId) {
        return engines.presence().leave(channel, user, connectionId);
    }

    public CompletableFuture<List<PresenceEntry>> presence(String channel) {
        return engines.presence().presence(channel);
    }

    public CompletableFuture<List<NodeInfo>> nodes() {
        return engines.nodes().nodes();
    }

    public boolean isReady() {
        return engines.isReady();
    }

    @Override
    public void close() {
        engines.close();
    }
}
