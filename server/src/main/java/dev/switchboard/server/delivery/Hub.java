package dev.switchboard.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.auth.GlobPattern;
import dev.switchboard.server.auth.Permissions;
import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.engine.EngineListener;
import dev.switchboard.server.engine.HistoryPage;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.server.engine.PresenceEntry;
import dev.switchboard.server.engine.Publication;
import dev.switchboard.server.engine.StreamPosition;
import dev.switchboard.server.engine.Target;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's delivery centre: registries of live connections (by id, session, user, channel, endpoint), the
 * resolution of targets to local connections, and the bridge to the {@link Engine} that carries publications
 * and targeted frames between nodes. Every delivery goes out through the engine and comes back through
 * {@link EngineListener}, so one node and many nodes take the same path.
 */
public final class Hub implements EngineListener {

    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final Engine engine;
    private final List<GlobPattern> presenceChannels;
    private final Clock clock;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Registry bySession = new Registry();
    private final Registry byUser = new Registry();
    private final Registry byEndpoint = new Registry();
    private final Registry subscribers = new Registry();
    private final Counter delivered;
    private final Counter publications;
    private final MeterRegistry metrics;

    public Hub(Engine engine, List<GlobPattern> presenceChannels, Clock clock, MeterRegistry metrics) {
        this.engine = engine;
        this.presenceChannels = presenceChannels;
        this.clock = clock;
        this.metrics = metrics;
        this.delivered = Counter.builder("switchboard.messages.delivered")
                .description("frames written to sockets by fan-out").register(metrics);
        this.publications = Counter.builder("switchboard.publications")
                .description("channel publications received from the engine").register(metrics);
        metrics.gauge("switchboard.connections", connections, Map::size);
        metrics.gauge("switchboard.channels", subscribers, Registry::keyCount);
    }

    public Engine engine() {
        return engine;
    }

    public Clock clock() {
        return clock;
    }

    // ---- connection lifecycle ---------------------------------------------------------------------------

    /** Adds a freshly upgraded connection (not yet identified). */
    public void register(Connection c) {
        connections.put(c.id(), c);
        bySession.add(c.sessionId(), c);
        byEndpoint.add(c.endpoint(), c);
    }

    /** Gives a connection its identity; from now on it is reachable by user id and broadcasts. */
    public void identify(Connection c, String user, Permissions permissions, Map<String, Object> claims) {
        c.identify(user, permissions, claims);
        if (user != null) {
            byUser.add(user, c);
        }
    }

    /** Removes a closed connection from every registry and presence; safe to call more than once. */
    public void unregister(Connection c) {
        if (connections.remove(c.id()) == null) {
            return;
        }
        metrics.counter("switchboard.disconnects", "code", c.closeCode() == 0 ? "client" : Integer.toString(c.closeCode()))
                .increment();
        for (String channel : c.channels()) {
            unsubscribe(c, channel);
        }
        bySession.remove(c.sessionId(), c);
        byEndpoint.remove(c.endpoint(), c);
        if (c.user() != null) {
            byUser.remove(c.user(), c);
        }
    }

    // ---- channels ---------------------------------------------------------------------------------------

    /**
     * Subscribes {@code c} to {@code channel}. The node subscribes to the engine when its first local
     * subscriber arrives; a presence "join" is announced when this is the user's first connection there.
     *
     * @return the channel's position after subscribing
     */
    public CompletableFuture<StreamPosition> subscribe(Connection c, String channel) {
        if (!c.addChannel(channel)) {
            return engine.position(channel); // idempotent
        }
        CompletableFuture<Void>[] engineSub = new CompletableFuture[1];
        subscribers.add(channel, c, () -> engineSub[0] = engine.subscribe(channel));
        CompletableFuture<Void> ready = engineSub[0] == null ? CompletableFuture.completedFuture(null) : engineSub[0];
        return ready.thenCompose(v -> {
            if (c.user() != null && hasPresence(channel)) {
                return engine.join(channel, c.user(), c.id()).thenCompose(first -> {
                    if (first) {
                        announcePresence(channel, "join", c.user());
                    }
                    return engine.position(channel);
                });
            }
            return engine.position(channel);
        }).whenComplete((p, e) -> {
            if (e != null) { // engine refused: leave no half-subscription behind
                unsubscribe(c, channel);
            }
        });
    }

    /** Unsubscribes; the node leaves the engine channel with its last local subscriber. */
    public CompletableFuture<Void> unsubscribe(Connection c, String channel) {
        if (!c.removeChannel(channel)) {
            return CompletableFuture.completedFuture(null);
        }
        subscribers.remove(channel, c, () -> engine.unsubscribe(channel)
                .exceptionally(e -> {
                    log.warn("engine unsubscribe of {} failed: {}", channel, e.toString());
                    return null;
                }));
        if (c.user() != null && hasPresence(channel)) {
            return engine.leave(channel, c.user(), c.id()).thenAccept(last -> {
                if (last) {
                    announcePresence(channel, "leave", c.user());
                }
            }).exceptionally(e -> {
                log.warn("presence leave of {} in {} failed: {}", c.user(), channel, e.toString());
                return null;
            });
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Whether join/leave events and presence lists are kept for this channel. */
    public boolean hasPresence(String channel) {
        return GlobPattern.anyMatches(presenceChannels, channel);
    }

    private void announcePresence(String channel, String event, String user) {
        deliver(Target.channel(channel), Frames.presenceEvent(channel, event, user, clock.millis()))
                .exceptionally(e -> {
                    log.warn("presence {} event for {} in {} not delivered: {}", event, user, channel, e.toString());
                    return null;
                });
    }

    // ---- sending ----------------------------------------------------------------------------------------

    /** Publishes to a channel through the engine (offset, timestamp, history, fan-out to all nodes). */
    public CompletableFuture<Publication> publish(String channel, String from, JsonNode data) {
        return engine.publish(channel, from, data);
    }

    /** Sends a message to every connection of {@code user}, on every endpoint and node. */
    public CompletableFuture<Void> sendToUser(String user, String from, JsonNode data) {
        return deliver(Target.user(user), Frames.directMessage(user, clock.millis(), from, data));
    }

    /**
     * Sends a message to one connection, or to every connection of one browser session, wherever they are.
     * The frame has no {@code to}: it is addressed to the socket, not to a user.
     */
    public CompletableFuture<Void> sendTo(Target target, String from, JsonNode data) {
        if (target.kind() == Target.Kind.USER) {
            return sendToUser(target.id(), from, data);
        }
        ObjectNode frame = Frames.directMessage(null, clock.millis(), from, data);
        frame.remove("broadcast");
        return deliver(target, frame);
    }

    /** Sends a message to every connection on {@code endpoint} (every endpoint when null), except {@code exclude}. */
    public CompletableFuture<Void> broadcast(String endpoint, String exclude, String from, JsonNode data) {
        return deliver(Target.all(endpoint, exclude), Frames.directMessage(null, clock.millis(), from, data));
    }

    /** Encodes {@code frame} once and hands it to the engine for every node. */
    public CompletableFuture<Void> deliver(Target target, ObjectNode frame) {
        return engine.deliver(target, Json.bytes(frame));
    }

    /** Closes matching connections on every node. */
    public CompletableFuture<Void> disconnect(Target target, int code, String reason) {
        return engine.disconnect(target, code, reason);
    }

    public CompletableFuture<List<PresenceEntry>> presence(String channel) {
        return engine.presence(channel);
    }

    public CompletableFuture<HistoryPage> history(String channel, HistoryQuery query) {
        return engine.history(channel, query);
    }

    // ---- engine callbacks ------------------------------------------------------------------------------

    @Override
    public void onPublication(Publication p) {
        publications.increment();
        Collection<Connection> targets = subscribers.get(p.channel());
        if (targets.isEmpty()) {
            return;
        }
        byte[] frame = Json.bytes(Frames.channelMessage(p.channel(), p.offset(), p.epoch(), p.ts(), p.from(), p.data()));
        FanOut.write(targets, frame);
        delivered.increment(targets.size());
    }

    @Override
    public void onDelivery(Target target, byte[] frame) {
        Collection<Connection> targets = resolve(target);
        FanOut.write(targets, frame);
        delivered.increment(targets.size());
    }

    @Override
    public void onDisconnect(Target target, int code, String reason) {
        for (Connection c : resolve(target)) {
            c.close(code, reason);
        }
    }

    /** This node's identified connections matching {@code target}. */
    Collection<Connection> resolve(Target target) {
        Collection<Connection> found = switch (target.kind()) {
            case CONNECTION -> {
                Connection c = connections.get(target.id());
                yield c == null ? List.of() : List.of(c);
            }
            case SESSION -> bySession.get(target.id());
            case USER -> byUser.get(target.id());
            case CHANNEL -> subscribers.get(target.id());
            case ALL -> target.endpoint() == null ? connections.values() : byEndpoint.get(target.endpoint());
        };
        List<Connection> out = new ArrayList<>(found.size());
        for (Connection c : found) {
            if (c.isIdentified() && !c.id().equals(target.exclude())) {
                out.add(c);
            }
        }
        return out;
    }

    // ---- queries ----------------------------------------------------------------------------------------

    public Connection connection(String id) {
        return connections.get(id);
    }

    public Collection<Connection> connections() {
        return connections.values();
    }

    public int connectionCount() {
        return connections.size();
    }

    public Collection<Connection> connectionsOfUser(String user) {
        return byUser.get(user);
    }

    public int userCount() {
        return byUser.keyCount();
    }

    /** Sizes of every registry, for leak checks: all zero when no connection is open. */
    public Map<String, Integer> registrySizes() {
        return Map.of("connections", connections.size(), "sessions", bySession.entryCount(),
                "users", byUser.entryCount(), "endpoints", byEndpoint.entryCount(),
                "channels", subscribers.entryCount());
    }
}
