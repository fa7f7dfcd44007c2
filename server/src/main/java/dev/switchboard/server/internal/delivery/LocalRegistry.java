package dev.switchboard.server.internal.delivery;

import dev.switchboard.server.engine.Target;
import dev.switchboard.server.internal.auth.Permissions;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's live connections, found by id, browser session, user and subscribed channel, and the resolution
 * of a {@link Target} to the local connections it names. Knows nothing of engines: what crosses nodes goes
 * through the {@link Hub}, and channel subscriptions are changed by {@link ChannelMembership}.
 */
public final class LocalRegistry {

    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Registry bySession = new Registry();
    private final Registry byUser = new Registry();
    private final Registry subscribers = new Registry();
    private final MeterRegistry metrics;

    public LocalRegistry(MeterRegistry metrics) {
        this.metrics = metrics;
        metrics.gauge("switchboard.connections", connections, Map::size);
        metrics.gauge("switchboard.channels", subscribers, Registry::keyCount);
    }

    /** Adds a freshly opened connection (not yet welcomed). */
    public void register(Connection c) {
        connections.put(c.id(), c);
        bySession.add(c.sessionId(), c);
    }

    /**
     * Gives a connection its identity and the end of its credential (0 = never): from now on it is reachable
     * by user id and broadcasts. False when it was closing (or already welcomed).
     */
    public boolean welcome(Connection c, String user, Permissions permissions, Map<String, Object> claims,
                           long expiresAt) {
        if (!c.welcome(user, permissions, claims, expiresAt)) {
            return false;
        }
        if (user != null) {
            byUser.add(user, c);
        }
        return true;
    }

    /** A welcomed connection without a user signs in as {@code user}; false when it cannot (see Connection). */
    public boolean signIn(Connection c, String user) {
        if (!c.signIn(user)) {
            return false;
        }
        byUser.add(user, c);
        return true;
    }

    /**
     * Removes a closed connection from the connection, session and user maps (its channels are left through
     * {@link ChannelMembership#leaveAll}); false when it was already removed.
     */
    public boolean unregister(Connection c) {
        if (connections.remove(c.id()) == null) {
            return false;
        }
        c.markClosed();
        metrics.counter("switchboard.disconnects", "code", c.closeCode() == 0 ? "client" : Integer.toString(c.closeCode()))
                .increment();
        bySession.remove(c.sessionId(), c);
        if (c.user() != null) {
            byUser.remove(c.user(), c);
        }
        return true;
    }

    /** Adds a channel subscriber; {@link Registry.Change#EDGE} when it is the channel's first on this node. */
    Registry.Change addSubscriber(String channel, Connection c) {
        return subscribers.add(channel, c);
    }

    /** Removes a channel subscriber; {@link Registry.Change#EDGE} when it was the channel's last on this node. */
    Registry.Change removeSubscriber(String channel, Connection c) {
        return subscribers.remove(channel, c);
    }

    /** The channel's local subscribers (a live view; empty when none). */
    Collection<Connection> subscribers(String channel) {
        return subscribers.get(channel);
    }

    /** This node's welcomed connections matching {@code target}. */
    public Collection<Connection> resolve(Target target) {
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
            case ALL -> connections.values();
        };
        List<Connection> out = new ArrayList<>(found.size());
        for (Connection c : found) {
            if (c.isIdentified() && !c.id().equals(target.exclude())
                    && (target.endpoint() == null || c.endpoint().equals(target.endpoint()))) {
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

    /** This node's channels with their local subscriber counts, largest first, at most {@code limit}. */
    public List<Map.Entry<String, Integer>> channelSizes(int limit) {
        return subscribers.largest(limit, channel -> true);
    }

    /** As {@link #channelSizes(int)}, for the channels of {@code namespace} only. */
    public List<Map.Entry<String, Integer>> channelSizes(int limit, String namespace) {
        return subscribers.largest(limit, channel -> namespace.equals(ChannelPolicies.namespaceOf(channel)));
    }

    /** Local subscribers of {@code channel}. */
    public int subscriberCount(String channel) {
        return subscribers.get(channel).size();
    }

    /** Channels with local subscribers. */
    public int channelCount() {
        return subscribers.keyCount();
    }

    /** Sizes of the maps, for leak checks: all zero when no connection is open. */
    public Map<String, Integer> sizes() {
        return Map.of("connections", connections.size(), "sessions", bySession.entryCount(),
                "users", byUser.entryCount(), "channels", subscribers.entryCount());
    }
}
