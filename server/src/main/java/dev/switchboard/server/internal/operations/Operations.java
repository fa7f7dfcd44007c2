package dev.switchboard.server.internal.operations;

import dev.switchboard.server.engine.BatchEntry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Channels;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.PresenceEntry;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.Publication;
import dev.switchboard.server.app.ClusterView;
import dev.switchboard.server.app.ConnectionView;
import dev.switchboard.server.app.GatewayApi;
import dev.switchboard.server.engine.Engines;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.server.engine.NodeInfo;
import dev.switchboard.server.engine.Target;
import dev.switchboard.server.internal.delivery.ChannelPolicies;
import dev.switchboard.server.internal.delivery.ChannelMembership;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.delivery.Hub;
import dev.switchboard.server.internal.delivery.LocalRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The node's operations, one implementation under every face: the WebSocket built-ins, the HTTP API, the
 * admin API, the bridges, other protocols' adapters and embedders ({@link GatewayApi}) all publish, send,
 * disconnect and read through here, so each gets the same validation, listeners (the Kafka egress) and
 * traces. Answers are records; rendering them (JSON, a protocol's frames) is the adapter's job.
 */
public final class Operations implements GatewayApi {

    /** Most publications one history read returns. */
    public static final int MAX_HISTORY_LIMIT = 1000;

    private final Hub hub;
    private final LocalRegistry registry;
    private final ChannelMembership membership;
    private final Engines engines;
    private final String nodeId;
    private final Clock clock;

    public Operations(Hub hub, LocalRegistry registry, ChannelMembership membership, Engines engines, String nodeId,
                      Clock clock) {
        this.hub = hub;
        this.registry = registry;
        this.membership = membership;
        this.engines = engines;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    public String nodeId() {
        return nodeId;
    }

    public Clock clock() {
        return clock;
    }

    // ---- writes -----------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Publication> publish(String channel, String from, Object data, String idempotencyKey) {
        return validChannel(channel, () -> hub.publisher().publish(channel, from, Json.toTree(data), idempotencyKey));
    }

    /** Several publications of one channel, in order, in one engine round trip where the engine allows. */
    public CompletableFuture<List<Publication>> publishBatch(String channel, List<BatchEntry> entries) {
        return validChannel(channel, () -> hub.publisher().publishBatch(channel, entries));
    }

    /** Runs {@code operation} when {@code channel} is a valid name; a failed future (bad_request) otherwise. */
    private static <T> CompletableFuture<T> validChannel(String channel, Supplier<CompletableFuture<T>> operation) {
        try {
            Channels.validate(channel);
            return operation.get();
        } catch (ProtocolException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Sends to a user, a session or a connection (see {@link Hub#send}). */
    public CompletableFuture<Void> send(Target target, String from, JsonNode data) {
        return hub.send(target, from, data);
    }

    @Override
    public CompletableFuture<Void> sendToUser(String user, Object data) {
        return send(Target.user(user), null, Json.toTree(data));
    }

    @Override
    public CompletableFuture<Void> sendToConnection(String connectionId, Object data) {
        return send(Target.connection(connectionId), null, Json.toTree(data));
    }

    @Override
    public CompletableFuture<Void> sendToSession(String sessionId, Object data) {
        return send(Target.session(sessionId), null, Json.toTree(data));
    }

    /** Sends to every connection on {@code endpoint} (all when null) but {@code exclude}, as {@code from}. */
    public CompletableFuture<Void> broadcast(String endpoint, String exclude, String from, JsonNode data) {
        return hub.broadcast(endpoint, exclude, from, data);
    }

    @Override
    public CompletableFuture<Void> broadcast(String endpoint, Object data) {
        return broadcast(endpoint, null, null, Json.toTree(data));
    }

    /** Closes the connections {@code target} names, on every node. */
    public CompletableFuture<Void> disconnect(Target target, int code, String reason) {
        return hub.disconnect(target, code, reason);
    }

    @Override
    public CompletableFuture<Void> disconnectUser(String user, String reason) {
        return disconnect(Target.user(user), CloseCodes.KICKED, reason == null ? "disconnected" : reason);
    }

    @Override
    public CompletableFuture<Void> disconnectConnection(String connectionId, String reason) {
        return disconnect(Target.connection(connectionId), CloseCodes.KICKED, reason == null ? "disconnected" : reason);
    }

    /** Delivers a frame (already encoded, in whatever protocol its recipients speak) to {@code target} on every node. */
    public CompletableFuture<Void> deliver(Target target, byte[] frame) {
        return engines.broker().deliver(target, frame);
    }

    /** The occupied channels of an indexed namespace across the cluster, with their subscription counts. */
    public CompletableFuture<List<PresenceEntry>> channelsOf(String namespace) {
        return membership.channelsOf(namespace);
    }

    /** Tells {@code listener} of every publication stored through this node. */
    public void onPublished(Consumer<Publication> listener) {
        hub.publisher().onPublished(listener);
    }

    // ---- reads ------------------------------------------------------------------------------------------

    /** Whether the channel keeps presence (join/leave events and member lists). */
    public boolean hasPresence(String channel) {
        return membership.policies().presence(channel);
    }

    @Override
    public CompletableFuture<List<PresenceEntry>> presence(String channel) {
        return validChannel(channel, () -> {
            if (!hasPresence(channel)) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "presence is not enabled for " + channel);
            }
            return engines.presence().presence(channel);
        });
    }

    @Override
    public CompletableFuture<HistoryPage<Publication>> history(String channel, HistoryQuery query) {
        int limit = query.limit() < 0 ? MAX_HISTORY_LIMIT : Math.min(MAX_HISTORY_LIMIT, query.limit());
        return validChannel(channel,
                () -> engines.broker().history(channel, new HistoryQuery(query.since(), limit, query.reverse())));
    }

    @Override
    public List<ConnectionView> connectionsOf(String user) {
        List<ConnectionView> out = new ArrayList<>();
        for (Connection c : registry.connectionsOfUser(user)) {
            out.add(view(c));
        }
        out.sort(Comparator.comparingLong(ConnectionView::connectedAt));
        return out;
    }

    private static ConnectionView view(Connection c) {
        Connection.Traffic t = c.traffic();
        return new ConnectionView(c.id(), c.user(), c.sessionId(), c.endpoint(), c.transportName(), c.remoteAddress(),
                c.connectedAt(), t.framesIn(), t.bytesIn(), t.framesOut(), t.bytesOut(),
                c.channels().stream().sorted().toList());
    }

    /** This node's totals. */
    public NodeTotals totals() {
        return new NodeTotals(registry.connectionCount(), registry.userCount(), registry.channelCount());
    }

    /** Connections per user on this node, by user. */
    public Map<String, Integer> connectionsPerUser() {
        Map<String, Integer> byUser = new TreeMap<>();
        for (Connection c : registry.connections()) {
            if (c.user() != null) {
                byUser.merge(c.user(), 1, Integer::sum);
            }
        }
        return byUser;
    }

    /** This node's channels with their local subscriber counts, largest first, at most {@code limit}. */
    public List<Map.Entry<String, Integer>> channels(int limit) {
        return registry.channelSizes(limit);
    }

    /** As {@link #channels(int)}, for the channels of one namespace (e.g. a Pusher app's). */
    public List<Map.Entry<String, Integer>> channels(int limit, String namespace) {
        return registry.channelSizes(limit, namespace);
    }

    /** A namespace's channels on this node and their subscribers; the namespace is "" for unprefixed channels. */
    public record NamespaceSize(String namespace, int channels, int subscribers) {
    }

    /** This node's channels grouped by namespace, by name. */
    public List<NamespaceSize> namespaces() {
        Map<String, int[]> sizes = new java.util.TreeMap<>();
        for (Map.Entry<String, Integer> e : registry.channelSizes(Integer.MAX_VALUE)) {
            String ns = ChannelPolicies.namespaceOf(e.getKey());
            int[] size = sizes.computeIfAbsent(ns == null ? "" : ns, k -> new int[2]);
            size[0]++;
            size[1] += e.getValue();
        }
        List<NamespaceSize> out = new ArrayList<>();
        sizes.forEach((ns, size) -> out.add(new NamespaceSize(ns, size[0], size[1])));
        return out;
    }

    /** Local subscribers of {@code channel}. */
    public int subscribersHere(String channel) {
        return registry.subscriberCount(channel);
    }

    @Override
    public CompletableFuture<ClusterView> cluster() {
        return engines.nodes().nodes().handle((others, error) -> {
            List<NodeInfo> all = new ArrayList<>();
            all.add(new NodeInfo(nodeId, registry.connectionCount(), registry.userCount(), clock.millis()));
            if (others != null) {
                others.stream().filter(n -> !n.node().equals(nodeId)).forEach(all::add);
            }
            return new ClusterView(List.copyOf(all), error != null);
        });
    }

    /** Connections, distinct users and channels with subscribers on this node. */
    public record NodeTotals(int connections, int users, int channels) {
    }
}
