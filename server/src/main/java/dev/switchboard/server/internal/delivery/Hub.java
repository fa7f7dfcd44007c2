package dev.switchboard.server.internal.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.GlobPattern;
import dev.switchboard.server.internal.auth.Permissions;
import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.BrokerListener;
import dev.switchboard.server.engine.Engines;
import dev.switchboard.server.engine.NodeInfo;
import dev.switchboard.server.engine.PresenceListener;
import dev.switchboard.server.engine.PresenceManager;
import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.protocol.PresenceEntry;
import dev.switchboard.protocol.Publication;
import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.server.engine.Target;
import dev.switchboard.server.app.GatewayEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.switchboard.server.internal.observe.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's delivery centre: registries of live connections (by id, session, user, channel, endpoint), the
 * resolution of targets to local connections, and the bridge to the {@link Broker} that carries publications
 * and targeted frames between nodes and the {@link PresenceManager}. Every delivery goes out through the
 * broker and comes back through {@link BrokerListener}, so one node and many nodes take the same path.
 */
public final class Hub implements BrokerListener, PresenceListener {

    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final Engines engines;
    private final Broker broker;
    private final PresenceManager presence;
    private final List<GlobPattern> presenceChannels;
    private final Clock clock;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Registry bySession = new Registry();
    private final Registry byUser = new Registry();
    private final Registry subscribers = new Registry();
    /** In-flight or done engine subscriptions per channel, so a second local subscriber waits for the first's. */
    private final Map<String, CompletableFuture<Void>> engineSubscriptions = new ConcurrentHashMap<>();
    /** Recoveries in progress (and just finished), by {@link #cursorKey}. */
    private final Map<String, RecoveryCursor> cursors = new ConcurrentHashMap<>();
    private final Counter delivered;
    private final Counter publications;
    private final MeterRegistry metrics;
    private volatile GatewayEvents events = GatewayEvents.NONE;
    private final List<Consumer<Publication>> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String nodeId = "node";
    private volatile Tracing tracing = Tracing.OFF;

    /**
     * Occupancy rides on the engine's presence: each node with local subscribers is one "connection" of the
     * pseudo-user {@link #OCCUPANT} in the pseudo-channel {@code OCCUPANCY + channel}, so the engine's
     * first-join / last-leave answers (and its expiry of a crashed node's entries) say, cluster-wide and
     * exactly once, when a channel became occupied or vacated. Channel names cannot contain a space, so the
     * pseudo-channels never clash with real ones.
     */
    private static final String OCCUPANCY = "occupancy ";
    private static final String OCCUPANT = "*";

    public Hub(Engines engines, List<GlobPattern> presenceChannels, Clock clock, MeterRegistry metrics) {
        this.engines = engines;
        this.broker = engines.broker();
        this.presence = engines.presence();
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

    public Engines engines() {
        return engines;
    }

    /** Starts the engines, wired to this hub. */
    public void start() {
        engines.start(this, this, () -> new NodeInfo(nodeId, connectionCount(), userCount(), System.currentTimeMillis()));
    }

    /** The other nodes' latest reports (empty on a single node). */
    public CompletableFuture<List<NodeInfo>> otherNodes() {
        return engines.nodes().nodes();
    }

    /** Who hears of presence and occupancy events; set before the node starts serving. */
    public void events(GatewayEvents events, String nodeId) {
        this.events = events;
        this.nodeId = nodeId;
    }

    public Clock clock() {
        return clock;
    }

    // ---- connection lifecycle ---------------------------------------------------------------------------

    /** Adds a freshly upgraded connection (not yet identified). */
    public void register(Connection c) {
        connections.put(c.id(), c);
        bySession.add(c.sessionId(), c);
    }

    /** Gives a connection its identity and the end of its credential (0 = never); from now on it is reachable by user id and broadcasts. */
    public void identify(Connection c, String user, Permissions permissions, Map<String, Object> claims,
                         long expiresAt) {
        c.identify(user, permissions, claims, expiresAt);
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
            return broker.position(channel); // idempotent
        }
        // The engine subscription is made by the channel's first local subscriber; later ones wait for it too,
        // so that once this future completes, every publication of the channel reaches this node.
        subscribers.add(channel, c, () -> {
            engineSubscriptions.put(channel, broker.subscribe(channel));
            occupancy(channel, true);
        });
        CompletableFuture<Void> ready = engineSubscriptions.getOrDefault(channel, CompletableFuture.completedFuture(null));
        return ready.thenCompose(v -> {
            if (c.user() != null && hasPresence(channel)) {
                return presence.join(channel, c.user(), c.id()).thenCompose(first -> {
                    if (first) {
                        announcePresence(channel, "join", c.user());
                    }
                    return broker.position(channel);
                });
            }
            return broker.position(channel);
        }).whenComplete((p, e) -> {
            if (e != null) { // engine refused: leave no half-subscription behind
                unsubscribe(c, channel);
            }
        });
    }

    /**
     * Subscribes with recovery from {@code since} (the last offset and epoch the client has). The race between
     * reading history and live publications is closed like this: (1) a cursor for this connection is
     * installed before it joins the channel's subscribers, so from then on its live publications are held,
     * not written; (2) once the node's engine subscription is active, history after {@code since} is read —
     * every publication is now either in that read or arrives live; (3) on the connection's event loop,
     * {@code reply} writes the answer with the recovered publications, then the held live ones newer than
     * the last recovered offset follow, and live ones already covered are dropped by offset.
     *
     * @param reply writes the subscribe answer; called on the connection's event loop, before any live
     *              publication of the channel reaches the socket
     */
    public CompletableFuture<Void> subscribe(Connection c, String channel, StreamPosition since, int maxRecovered,
                                             Consumer<RecoveryResult> reply) {
        if (since == null || c.isSubscribed(channel)) {
            return subscribe(c, channel).thenAccept(pos -> reply.accept(new RecoveryResult(pos, null, List.of())));
        }
        String key = cursorKey(c, channel);
        RecoveryCursor cursor = new RecoveryCursor();
        cursors.put(key, cursor);
        CompletableFuture<Void> done = new CompletableFuture<>();
        subscribe(c, channel)
                .thenCompose(pos -> broker.history(channel, new HistoryQuery(since.offset(), maxRecovered + 1, false)))
                .whenComplete((page, failure) -> {
                    if (failure != null) {
                        cursors.remove(key, cursor);
                        done.completeExceptionally(failure);
                        return;
                    }
                    c.channel().eventLoop().execute(() -> {
                        try {
                            finishRecovery(c, channel, since, maxRecovered, page, cursor, reply);
                            done.complete(null);
                        } catch (RuntimeException e) {
                            done.completeExceptionally(e);
                        }
                    });
                });
        return done;
    }

    private void finishRecovery(Connection c, String channel, StreamPosition since, int maxRecovered, HistoryPage<Publication> page,
                                RecoveryCursor cursor, Consumer<RecoveryResult> reply) {
        String epoch = page.position().epoch();
        boolean recovered = epoch.equals(since.epoch()) && page.complete()
                && page.publications().size() <= maxRecovered;
        List<Publication> missed = recovered ? page.publications() : List.of();
        reply.accept(new RecoveryResult(page.position(), recovered, missed));
        long last = recovered ? (missed.isEmpty() ? Math.max(since.offset(), 0) : missed.get(missed.size() - 1).offset())
                : page.position().offset();
        List<Publication> held = cursor.release(epoch, last);
        for (Publication p : held) {
            c.send(Json.bytes(Frames.channelMessage(p.channel(), p.offset(), p.epoch(), p.ts(), p.from(), p.data())));
        }
        if (!c.isSubscribed(channel)) {
            cursors.remove(cursorKey(c, channel), cursor);
        }
    }

    private static String cursorKey(Connection c, String channel) {
        return c.id() + '\n' + channel;
    }

    /** Unsubscribes; the node leaves the engine channel with its last local subscriber. */
    public CompletableFuture<Void> unsubscribe(Connection c, String channel) {
        if (!c.removeChannel(channel)) {
            return CompletableFuture.completedFuture(null);
        }
        cursors.remove(cursorKey(c, channel));
        subscribers.remove(channel, c, () -> {
            engineSubscriptions.remove(channel);
            occupancy(channel, false);
            broker.unsubscribe(channel).exceptionally(e -> {
                    log.warn("engine unsubscribe of {} failed: {}", channel, e.toString());
                    return null;
                });
        });
        if (c.user() != null && hasPresence(channel)) {
            return presence.leave(channel, c.user(), c.id()).thenAccept(last -> {
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

    /** This node got its first local subscriber of {@code channel} (or lost its last): tell the cluster. */
    private void occupancy(String channel, boolean occupied) {
        GatewayEvents listener = events;
        if (!listener.wantsOccupancy()) {
            return;
        }
        String key = OCCUPANCY + channel;
        (occupied ? presence.join(key, OCCUPANT, nodeId) : presence.leave(key, OCCUPANT, nodeId))
                .whenComplete((changed, e) -> {
                    if (e != null) {
                        log.warn("occupancy of {} not recorded: {}", channel, e.toString());
                    } else if (changed && occupied) {
                        listener.channelOccupied(channel);
                    } else if (changed) {
                        listener.channelVacated(channel);
                    }
                });
    }

    /** Whether join/leave events and presence lists are kept for this channel. */
    public boolean hasPresence(String channel) {
        return GlobPattern.anyMatches(presenceChannels, channel);
    }

    private void announcePresence(String channel, String event, String user) {
        if (event.equals("join")) {
            events.presenceJoined(channel, user);
        } else {
            events.presenceLeft(channel, user);
        }
        deliver(Target.channel(channel), Frames.presenceEvent(channel, event, user, clock.millis()))
                .exceptionally(e -> {
                    log.warn("presence {} event for {} in {} not delivered: {}", event, user, channel, e.toString());
                    return null;
                });
    }

    // ---- sending ----------------------------------------------------------------------------------------

    /** Publishes to a channel through the engine (offset, timestamp, history, fan-out to all nodes). */
    public CompletableFuture<Publication> publish(String channel, String from, JsonNode data) {
        return publish(channel, from, data, null);
    }

    /**
     * Publishes unless a publication with {@code idempotencyKey} was made in the channel within the dedup
     * window (then completes with that one): how a replayed Kafka record or a retried API call stays single.
     */
    public CompletableFuture<Publication> publish(String channel, String from, JsonNode data, String idempotencyKey) {
        CompletableFuture<Publication> stored;
        if (tracing.enabled()) {
            stored = tracedPublish(channel, from, data, idempotencyKey);
        } else {
            stored = broker.publish(channel, from, data, idempotencyKey);
        }
        if (published.isEmpty()) {
            return stored;
        }
        return stored.thenApply(p -> {
            for (Consumer<Publication> l : published) {
                try {
                    l.accept(p);
                } catch (RuntimeException e) {
                    log.warn("a publication listener failed: {}", e.toString());
                }
            }
            return p;
        });
    }

    /**
     * The engine publish as a span, current while the engine runs: an engine that delivers in the caller's
     * thread (memory) makes the delivery span its child. Across Redis the delivery starts a new trace.
     */
    private CompletableFuture<Publication> tracedPublish(String channel, String from, JsonNode data, String key) {
        Span span = tracing.start("publish " + channel, SpanKind.PRODUCER, Context.current());
        span.setAttribute(Tracing.CHANNEL, channel);
        CompletableFuture<Publication> stored;
        try (Scope scope = span.makeCurrent()) {
            stored = broker.publish(channel, from, data, key);
        } catch (RuntimeException e) {
            span.recordException(e).setStatus(StatusCode.ERROR).end();
            throw e;
        }
        return stored.whenComplete((p, failure) -> {
            if (failure != null) {
                span.recordException(failure).setStatus(StatusCode.ERROR);
            } else {
                span.setAttribute(Tracing.OFFSET, p.offset());
            }
            span.end();
        });
    }

    /** Spans for publishes and deliveries ({@link Tracing#OFF} unless tracing is on). */
    public void tracing(Tracing tracing) {
        this.tracing = tracing;
    }

    /** Tells {@code listener} of every publication stored through this node (bridges forward them). */
    public void onPublished(Consumer<Publication> listener) {
        published.add(listener);
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
        return broker.deliver(target, Json.bytes(frame));
    }

    /** Closes matching connections on every node. */
    public CompletableFuture<Void> disconnect(Target target, int code, String reason) {
        return broker.disconnect(target, code, reason);
    }

    public CompletableFuture<List<PresenceEntry>> presence(String channel) {
        return presence.presence(channel);
    }

    public CompletableFuture<HistoryPage<Publication>> history(String channel, HistoryQuery query) {
        return broker.history(channel, query);
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
        if (!cursors.isEmpty()) {
            targets = passRecoveries(p, targets);
        }
        Span span = null;
        if (tracing.enabled()) {
            span = tracing.start("deliver " + p.channel(), SpanKind.CONSUMER, Context.current());
            span.setAttribute(Tracing.CHANNEL, p.channel()).setAttribute(Tracing.OFFSET, p.offset())
                    .setAttribute(Tracing.RECIPIENTS, (long) targets.size());
        }
        FanOut.write(targets, frame); // handed to the connections' event loops: the span ends at the hand-off
        delivered.increment(targets.size());
        if (span != null) {
            span.end();
        }
    }

    /** Leaves out connections whose recovery holds or already covered {@code p}. */
    private Collection<Connection> passRecoveries(Publication p, Collection<Connection> targets) {
        List<Connection> out = new ArrayList<>(targets.size());
        for (Connection c : targets) {
            String key = cursorKey(c, p.channel());
            RecoveryCursor cursor = cursors.get(key);
            if (cursor == null) {
                out.add(c);
                continue;
            }
            switch (cursor.offer(p)) {
                case HELD, DROP -> { }
                case DELIVER_AND_RETIRE -> {
                    cursors.remove(key, cursor);
                    out.add(c);
                }
            }
        }
        return out;
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

    @Override
    public void onPresenceExpired(String channel, String user) {
        if (channel.startsWith(OCCUPANCY)) {
            events.channelVacated(channel.substring(OCCUPANCY.length())); // the last node holding it died
        } else if (hasPresence(channel)) {
            announcePresence(channel, "leave", user); // the user's node died: someone must say they left
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
            // No index by endpoint (its entry per connection cost more than it saves): a broadcast to one
            // endpoint filters all connections, which is what walking that index would cost with one endpoint.
            case ALL -> target.endpoint() == null ? connections.values() : ofEndpoint(target.endpoint());
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

    private List<Connection> ofEndpoint(String endpoint) {
        List<Connection> out = new ArrayList<>();
        for (Connection c : connections.values()) {
            if (c.endpoint().equals(endpoint)) {
                out.add(c);
            }
        }
        return out;
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

    /** This node's channels with their local subscriber counts, largest first, at most {@code limit}. */
    public List<Map.Entry<String, Integer>> channelSizes(int limit) {
        return subscribers.largest(limit);
    }

    /** Channels with local subscribers. */
    public int channelCount() {
        return subscribers.keyCount();
    }

    public int userCount() {
        return byUser.keyCount();
    }

    /** Sizes of every registry, for leak checks: all zero when no connection is open. */
    public Map<String, Integer> registrySizes() {
        return Map.of("connections", connections.size(), "sessions", bySession.entryCount(),
                "users", byUser.entryCount(),
                "channels", subscribers.entryCount(), "recoveries", cursors.size(),
                "engineSubscriptions", engineSubscriptions.size());
    }
}
