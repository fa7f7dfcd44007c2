package dev.switchboard.server.internal.delivery;

import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.server.app.GatewayEvents;
import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.PresenceManager;
import dev.switchboard.server.engine.Target;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is in which channel: a connection's subscribe and unsubscribe, the node's engine subscription (made by
 * a channel's first local subscriber, dropped with its last), occupancy across the cluster, and presence
 * (join/leave once per user, not per tab). A channel's first-in / last-out transitions run under a lock of
 * that channel, so the engine sees them in order; listeners are only ever told through {@link GatewayEvents},
 * which queues (user code never runs under this lock or a map's).
 */
public final class ChannelMembership {

    private static final Logger log = LoggerFactory.getLogger(ChannelMembership.class);

    /**
     * Occupancy rides on the engine's presence: each node with local subscribers is one "connection" of the
     * pseudo-user {@link #OCCUPANT} in the pseudo-channel {@code OCCUPANCY + channel}, so the engine's
     * first-join / last-leave answers (and its expiry of a crashed node's entries) say, cluster-wide and
     * exactly once, when a channel became occupied or vacated. Channel names cannot contain a space, so the
     * pseudo-channels never clash with real ones.
     */
    private static final String OCCUPANCY = "occupancy ";
    private static final String OCCUPANT = "*";
    private static final int LOCK_STRIPES = 256;

    private final LocalRegistry registry;
    private final Broker broker;
    private final PresenceManager presence;
    private final ChannelPolicies policies;
    private final Clock clock;
    private final Recovery recovery;
    private final Object[] locks = new Object[LOCK_STRIPES];
    /** In-flight or done engine subscriptions per channel, so a second local subscriber waits for the first's. */
    private final Map<String, CompletableFuture<Void>> engineSubscriptions = new ConcurrentHashMap<>();
    private volatile GatewayEvents events = GatewayEvents.NONE;
    private volatile String nodeId = "node";

    public ChannelMembership(LocalRegistry registry, Broker broker, PresenceManager presence,
                             ChannelPolicies policies, Clock clock) {
        this.registry = registry;
        this.broker = broker;
        this.presence = presence;
        this.policies = policies;
        this.clock = clock;
        this.recovery = new Recovery(broker);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** Who hears of presence and occupancy events (a queueing listener); set before the node serves. */
    public void events(GatewayEvents events, String nodeId) {
        this.events = events;
        this.nodeId = nodeId;
    }

    Recovery recovery() {
        return recovery;
    }

    /** What channels keep and allow (presence, join/leave, recovery, client publishing). */
    public ChannelPolicies policies() {
        return policies;
    }

    private Object lockOf(String channel) {
        int h = channel.hashCode();
        return locks[(h ^ (h >>> 16)) & (LOCK_STRIPES - 1)];
    }

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
        CompletableFuture<Void> ready;
        synchronized (lockOf(channel)) {
            if (registry.addSubscriber(channel, c) == Registry.Change.EDGE) {
                engineSubscriptions.put(channel, broker.subscribe(channel));
                occupancy(channel, true);
            }
            ready = engineSubscriptions.getOrDefault(channel, CompletableFuture.completedFuture(null));
        }
        return ready.thenCompose(v -> {
            if (c.user() != null && policies.tracksMembers(channel)) {
                return presence.join(channel, c.user(), c.id()).thenCompose(first -> {
                    if (first && policies.joinLeave(channel)) {
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
     * Subscribes with recovery from {@code since}, or plainly when it is null: {@code reply} is called on the
     * connection's event loop with the result, before any live publication (see {@link Recovery}).
     */
    public CompletableFuture<Void> subscribe(Connection c, String channel, StreamPosition since, int maxRecovered,
                                             Consumer<RecoveryResult> reply) {
        if (since == null) {
            return subscribe(c, channel).thenAccept(pos -> reply.accept(new RecoveryResult(pos, null, List.of())));
        }
        return recovery.subscribe(c, channel, since, maxRecovered, () -> subscribe(c, channel), reply);
    }

    /** Unsubscribes; the node leaves the engine channel with its last local subscriber. */
    public CompletableFuture<Void> unsubscribe(Connection c, String channel) {
        if (!c.removeChannel(channel)) {
            return CompletableFuture.completedFuture(null);
        }
        recovery.forget(c, channel);
        synchronized (lockOf(channel)) {
            if (registry.removeSubscriber(channel, c) == Registry.Change.EDGE) {
                engineSubscriptions.remove(channel);
                occupancy(channel, false);
                broker.unsubscribe(channel).exceptionally(e -> {
                    log.warn("engine unsubscribe of {} failed: {}", channel, e.toString());
                    return null;
                });
            }
        }
        if (c.user() != null && policies.tracksMembers(channel)) {
            return presence.leave(channel, c.user(), c.id()).thenAccept(last -> {
                if (last && policies.joinLeave(channel)) {
                    announcePresence(channel, "leave", c.user());
                }
            }).exceptionally(e -> {
                log.warn("presence leave of {} in {} failed: {}", c.user(), channel, e.toString());
                return null;
            });
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Leaves every channel of a closed connection. */
    public void leaveAll(Connection c) {
        for (String channel : c.channels()) {
            unsubscribe(c, channel);
        }
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

    /** The engine expired a presence entry of a node that stopped reporting: someone must say it left. */
    void presenceExpired(String channel, String user) {
        if (channel.startsWith(OCCUPANCY)) {
            events.channelVacated(channel.substring(OCCUPANCY.length())); // the last node holding it died
        } else if (policies.joinLeave(channel)) {
            announcePresence(channel, "leave", user); // the user's node died
        }
    }

    private void announcePresence(String channel, String event, String user) {
        if (event.equals("join")) {
            events.presenceJoined(channel, user);
        } else {
            events.presenceLeft(channel, user);
        }
        broker.deliver(Target.channel(channel), Json.bytes(Frames.presenceEvent(channel, event, user, clock.millis())))
                .exceptionally(e -> {
                    log.warn("presence {} event for {} in {} not delivered: {}", event, user, channel, e.toString());
                    return null;
                });
    }

    /** Engine subscriptions and recoveries held, for leak checks. */
    public Map<String, Integer> sizes() {
        return Map.of("engineSubscriptions", engineSubscriptions.size(), "recoveries", recovery.size());
    }
}
