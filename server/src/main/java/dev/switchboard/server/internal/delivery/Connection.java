package dev.switchboard.server.internal.delivery;

import dev.switchboard.server.internal.auth.Permissions;
import io.netty.channel.Channel;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One live client connection (a WebSocket, or a Server-Sent Events stream): who it is, what it may do, the
 * channels it is subscribed to, and (from {@link ConnectionSocket}) its socket and phase. Kept small on
 * purpose (a node holds hundreds of thousands): optional state is allocated only when first used.
 *
 * <p>Concurrency: identity and credential fields are volatile, read without a lock and changed under
 * {@code this} (the welcome, a renewal); the channel set is guarded by {@code this}; the phase only moves
 * forward (see {@link ConnectionSocket}); the socket's state belongs to its event loop.
 */
public final class Connection extends ConnectionSocket {

    private final String id;
    private final String endpoint;
    private final String sessionId;
    private final long connectedAt;

    private volatile String user;
    private volatile Map<String, Object> claims = Map.of();
    /** Null until the welcome: a welcomed connection always has permissions, an anonymous one included. */
    private volatile Permissions permissions;
    private volatile long lastSeen;
    /** When the connection's credential ends (ms since the epoch); 0 = never. */
    private volatile long expiresAt;
    /** When the expired credential was first handled (refresh asked); 0 = not expired or renewed since. */
    private volatile long expiredSince;
    /** Channels this connection is subscribed to; null until the first subscribe. */
    private Set<String> channels;

    public Connection(String id, Channel channel, String endpoint, String sessionId, long now, long maxOutboundBytes) {
        this(id, channel, endpoint, sessionId, now, maxOutboundBytes, false);
    }

    /** @param eventStream whether the connection is a Server-Sent Events stream (frames become events) */
    public Connection(String id, Channel channel, String endpoint, String sessionId, long now, long maxOutboundBytes,
                      boolean eventStream) {
        super(channel, maxOutboundBytes, eventStream);
        this.id = id;
        this.endpoint = endpoint;
        this.sessionId = sessionId;
        this.connectedAt = now;
        this.lastSeen = now;
    }

    public String id() {
        return id;
    }

    public String endpoint() {
        return endpoint;
    }

    public String sessionId() {
        return sessionId;
    }

    public long connectedAt() {
        return connectedAt;
    }

    /** The user id, or {@code null} before auth and for anonymous connections. */
    public String user() {
        return user;
    }

    public Permissions permissions() {
        Permissions p = permissions;
        return p == null ? Permissions.NONE : p;
    }

    public Map<String, Object> claims() {
        return claims;
    }

    /**
     * Gives the connection its identity and the end of its credential (0 = never) and moves it to
     * {@link Phase#OPEN}; false when it was not {@link Phase#CONNECTING} any more (closing, or welcomed).
     */
    synchronized boolean welcome(String user, Permissions permissions, Map<String, Object> claims, long expiresAt) {
        if (phase() != Phase.CONNECTING) {
            return false;
        }
        this.user = user;
        this.claims = claims;
        this.permissions = permissions;
        this.expiresAt = expiresAt;
        if (advance(Phase.CONNECTING, Phase.OPEN)) {
            return true;
        }
        this.user = null; // it started closing meanwhile: it never was welcomed
        this.claims = Map.of();
        this.permissions = null;
        return false;
    }

    /**
     * Names the user of a welcomed connection that had none (a protocol that authenticates users after the
     * connection opens: Pusher's sign-in); false when it already had one or is not open.
     */
    synchronized boolean signIn(String user) {
        if (this.user != null || phase() != Phase.OPEN) {
            return false;
        }
        this.user = user;
        return true;
    }

    /** Whether the connection was ever welcomed (it may be closing now). */
    public boolean isWelcomed() {
        return permissions != null;
    }

    // ---- credential -------------------------------------------------------------------------------------

    /** When the credential (ticket or hook decision) ends, ms since the epoch; 0 = never. */
    public long expiresAt() {
        return expiresAt;
    }

    /** When the expiry was first acted on (0 = not yet, or renewed since). */
    public long expiredSince() {
        return expiredSince;
    }

    /** Marks the expiry as being acted on at {@code now}; false when it already was. */
    public synchronized boolean markExpired(long now) {
        if (expiredSince != 0) {
            return false;
        }
        expiredSince = now;
        return true;
    }

    /** A renewed credential: new expiry (0 = never) and, when not null, new permissions. */
    public synchronized void renew(long expiresAt, Permissions permissions) {
        this.expiresAt = expiresAt;
        this.expiredSince = 0;
        if (permissions != null) {
            this.permissions = permissions;
        }
    }

    // ---- liveness ---------------------------------------------------------------------------------------

    public long lastSeen() {
        return lastSeen;
    }

    /** Records inbound activity (any frame, including pong). */
    public void touch(long now) {
        lastSeen = now;
    }

    // ---- channels ---------------------------------------------------------------------------------------

    synchronized boolean addChannel(String channel) {
        if (channels == null) {
            channels = new HashSet<>(4);
        }
        return channels.add(channel);
    }

    synchronized boolean removeChannel(String channel) {
        return channels != null && channels.remove(channel);
    }

    /** A snapshot of subscribed channels. */
    public synchronized Set<String> channels() {
        return channels == null ? Set.of() : Set.copyOf(channels);
    }

    public synchronized boolean isSubscribed(String channel) {
        return channels != null && channels.contains(channel);
    }

    @Override
    public String toString() {
        return "Connection[" + id + " user=" + user + " endpoint=" + endpoint + " " + phase() + "]";
    }
}
