package dev.switchboard.server.internal.delivery;

import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.PresenceEntry;
import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.server.app.GatewayEvents;
import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.PresenceManager;
import dev.switchboard.server.engine.Target;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
    /**
     * An indexed namespace's channels are "users" of the pseudo-channel {@code INDEX + namespace}, one entry per
     * subscribed connection: the cluster-wide list of its occupied channels with their subscription counts (a
     * protocol's channel API), and occupancy from the same first/last answers.
     */
    private static final String INDEX = "index ";
    private static final int LOCK_STRIPES = 256;

    private final LocalRegistry registry;
    private final Broker broker;
    private final PresenceManager presence;
    private final ChannelPolicies policies;
    private final ChannelFormats formats;
    private final Clock clock;
    private final Recovery recovery;
    private final Object[] locks = new Object[LOCK_STRIPES];
    /** In-flight or done engine subscriptions per channel, so a second local subscriber waits for the first's. */
    private final Map<String, CompletableFuture<Void>> engineSubscriptions = new ConcurrentHashMap<>();
    private volatile GatewayEvents events = GatewayEvents.NONE;
    private volatile String nodeId = "node";
    private volatile Duration vacatedDelay = Duration.ZERO;
    /** Channels whose last local subscriber left less than {@link #vacatedDelay} ago: the leave that waits. */
    private final Map<String, Object> pendingVacate = new ConcurrentHashMap<>();

    public ChannelMembership(LocalRegistry registry, Broker broker, PresenceManager presence,
                             ChannelPolicies policies, ChannelFormats formats, Clock clock) {
        this.registry = registry;
        this.broker = broker;
        this.presence = presence;
        this.policies = policies;
        this.formats = formats;
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

    /**
     * The events connections report to: {@code events} itself, or, when it wants the disconnects of a node
     * that dies, {@code events} behind this node's connection leases ({@link ConnectionLeases}).
     */
    public GatewayEvents connectionEvents() {
        GatewayEvents e = events;
        if (!e.wantsDisconnects()) {
            return e;
        }
        return new ConnectionLeases(e, presence, nodeId);
    }

    /** How long the node keeps a channel occupied after its last local subscriber left (a reconnecting tab). */
    public void vacatedDelay(Duration delay) {
        this.vacatedDelay = delay;
    }

    Recovery recovery() {
        return recovery;
    }

    ChannelFormats formats() {
        return formats;
    }

    /** What channels keep and allow (presence, join/leave, recovery, client publishing). */
    public ChannelPolicies policies() {
        return policies;
    }

    private Object lockOf(String channel) {
        int h = channel.hashCode();
        return locks[(h ^ (h >>> 16)) & (LOCK_STRIPES - 1)];
    }

    /** Subscribes {@code c} as its own user (see {@link #subscribe(Connection, String, Member)}). */
    public CompletableFuture<StreamPosition> subscribe(Connection c, String channel) {
        return subscribe(c, channel, null);
    }

    /**
     * Subscribes {@code c} to {@code channel}, present there as {@code member} (null: as the connection's user,
     * without info). The node subscribes to the engine when its first local subscriber arrives; a presence
     * "join" is announced when this is the member's first connection there.
     *
     * @return the channel's position after subscribing
     */
    public CompletableFuture<StreamPosition> subscribe(Connection c, String channel, Member member) {
        if (!c.addChannel(channel)) {
            return broker.position(channel); // idempotent
        }
        String index = policies.indexOf(channel);
        // The engine subscription is made by the channel's first local subscriber; later ones wait for it too,
        // so that once this future completes, every publication of the channel reaches this node.
        CompletableFuture<Void> ready;
        synchronized (lockOf(channel)) {
            if (registry.addSubscriber(channel, c) == Registry.Change.EDGE) {
                engineSubscriptions.put(channel, broker.subscribe(channel));
                if (index == null) {
                    occupancy(channel, true);
                }
            }
            if (index != null) {
                indexed(index, channel, c, true);
            }
            ready = engineSubscriptions.getOrDefault(channel, CompletableFuture.completedFuture(null));
        }
        Member who = member != null ? member : c.user() == null ? null : new Member(c.user(), null);
        return ready.thenCompose(v -> {
            if (who != null && policies.tracksMembers(channel)) {
                return presence.join(channel, who.user(), c.id(), who.info()).thenCompose(first -> {
                    if (first && policies.joinLeave(channel)) {
                        announcePresence(channel, true, who, c.id());
                    }
                    return broker.position(channel);
                });
            }
            return broker.position(channel);
        }).whenComplete((p, e) -> {
            if (e != null) { // engine refused: leave no half-subscription behind
                unsubscribe(c, channel, who);
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

    /** Unsubscribes {@code c} that was present as its own user. */
    public CompletableFuture<Void> unsubscribe(Connection c, String channel) {
        return unsubscribe(c, channel, c.user() == null ? null : new Member(c.user(), null));
    }

    /** Unsubscribes {@code c}, present as {@code member}; the node leaves the engine channel with its last local subscriber. */
    public CompletableFuture<Void> unsubscribe(Connection c, String channel, Member member) {
        if (!c.removeChannel(channel)) {
            return CompletableFuture.completedFuture(null);
        }
        recovery.forget(c, channel);
        String index = policies.indexOf(channel);
        synchronized (lockOf(channel)) {
            if (registry.removeSubscriber(channel, c) == Registry.Change.EDGE) {
                engineSubscriptions.remove(channel);
                if (index == null) {
                    occupancy(channel, false);
                }
                broker.unsubscribe(channel).exceptionally(e -> {
                    log.warn("engine unsubscribe of {} failed: {}", channel, e.toString());
                    return null;
                });
            }
            if (index != null) {
                indexed(index, channel, c, false);
            }
        }
        if (member != null && policies.tracksMembers(channel)) {
            return presence.leave(channel, member.user(), c.id()).thenAccept(last -> {
                if (last && policies.joinLeave(channel)) {
                    announcePresence(channel, false, member, null);
                }
            }).exceptionally(e -> {
                log.warn("presence leave of {} in {} failed: {}", member.user(), channel, e.toString());
                return null;
            });
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Leaves every channel of a closed connection (present in each as its own user). */
    public void leaveAll(Connection c) {
        for (String channel : c.channels()) {
            unsubscribe(c, channel);
        }
    }

    /**
     * This node got its first local subscriber of {@code channel} (or lost its last): tell the cluster. Called
     * under the channel's lock. The leave waits {@link #vacatedDelay}: a subscriber back within it (a reloaded
     * tab) cancels it, and the cluster saw neither a vacated nor an occupied channel.
     */
    private void occupancy(String channel, boolean occupied) {
        GatewayEvents listener = events;
        if (!listener.wantsOccupancy()) {
            return;
        }
        String key = OCCUPANCY + channel;
        if (occupied) {
            if (pendingVacate.remove(channel) == null) {
                presence.join(key, OCCUPANT, nodeId).whenComplete((changed, e) -> told(channel, true, changed, e));
            }
            return;
        }
        Object mine = new Object();
        pendingVacate.put(channel, mine);
        afterVacatedDelay(() -> {
            synchronized (lockOf(channel)) {
                if (pendingVacate.remove(channel, mine)) {
                    presence.leave(key, OCCUPANT, nodeId).whenComplete((changed, e) -> told(channel, false, changed, e));
                }
            }
        });
    }

    /**
     * A connection of an indexed namespace's channel came or went: the index counts it, occupancy follows. A
     * leave waits {@link #vacatedDelay}, so a connection replacing it in the meantime keeps the channel occupied.
     */
    private void indexed(String namespace, String channel, Connection c, boolean joined) {
        String key = INDEX + namespace;
        if (joined) {
            presence.join(key, channel, c.id()).whenComplete((changed, e) -> told(channel, true, changed, e));
        } else {
            afterVacatedDelay(() -> presence.leave(key, channel, c.id())
                    .whenComplete((changed, e) -> told(channel, false, changed, e)));
        }
    }

    private void afterVacatedDelay(Runnable leave) {
        long millis = vacatedDelay.toMillis();
        if (millis <= 0) {
            leave.run();
        } else {
            CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS).execute(leave);
        }
    }

    private void told(String channel, boolean occupied, Boolean changed, Throwable e) {
        if (e != null) {
            log.warn("occupancy of {} not recorded: {}", channel, e.toString());
        } else if (changed && occupied) {
            events.channelOccupied(channel);
        } else if (changed) {
            events.channelVacated(channel);
        }
    }

    /** The occupied channels of an indexed namespace across the cluster, with their subscriptions. */
    public CompletableFuture<List<PresenceEntry>> channelsOf(String namespace) {
        return presence.presence(INDEX + namespace);
    }

    /** The engine expired a presence entry of a node that stopped reporting: someone must say it left. */
    void presenceExpired(String channel, String user) {
        if (ConnectionLeases.isLeases(channel)) {
            ConnectionLeases.expiredOn(user, events);
        } else if (channel.startsWith(OCCUPANCY)) {
            events.channelVacated(channel.substring(OCCUPANCY.length())); // the last node holding it died
        } else if (channel.startsWith(INDEX)) {
            events.channelVacated(user); // the index's "user" is the channel whose last subscribers died
        } else if (policies.joinLeave(channel)) {
            announcePresence(channel, false, new Member(user, null), null); // the user's node died
        }
    }

    /**
     * This node's heartbeat wrote an entry that was the first of its user: it had expired while the node was
     * paused or cut off (the cluster heard the leave), or its join never reached the engine. Announce the join.
     */
    void presenceRestored(String channel, String user) {
        if (ConnectionLeases.isLeases(channel)) {
            ConnectionLeases.restoredOn(user, events);
        } else if (channel.startsWith(OCCUPANCY)) {
            events.channelOccupied(channel.substring(OCCUPANCY.length()));
        } else if (channel.startsWith(INDEX)) {
            events.channelOccupied(user);
        } else if (policies.joinLeave(channel)) {
            announcePresence(channel, true, new Member(user, null), null);
        }
    }

    private void announcePresence(String channel, boolean joined, Member member, String joiner) {
        if (joined) {
            events.presenceJoined(channel, member.user());
        } else {
            events.presenceLeft(channel, member.user());
        }
        ChannelFormat format = formats.of(channel);
        byte[] frame;
        String exclude = null;
        if (format == null) {
            frame = Json.bytes(Frames.presenceEvent(channel, joined ? "join" : "leave", member.user(), clock.millis()));
        } else {
            ChannelFormat.Encoded encoded = format.presence(channel, joined, member, joiner);
            if (encoded == null) {
                return;
            }
            frame = encoded.frame();
            exclude = encoded.exclude();
        }
        broker.deliver(new Target(Target.Kind.CHANNEL, channel, null, exclude), frame).exceptionally(e -> {
            log.warn("presence event for {} in {} not delivered: {}", member.user(), channel, e.toString());
            return null;
        });
    }

    /** Engine subscriptions and recoveries held, for leak checks. */
    public Map<String, Integer> sizes() {
        return Map.of("engineSubscriptions", engineSubscriptions.size(), "recoveries", recovery.size());
    }
}
