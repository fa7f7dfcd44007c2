package dev.switchboard.server.internal.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.app.GatewayEvents;
import dev.switchboard.server.engine.PresenceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disconnects that survive the node: every let-in connection holds an entry in the engine's presence (the
 * pseudo-channel {@code leases <node>}, one per node so no key is shared cluster-wide), renewed by its node's
 * heartbeat. A clean close removes it and tells the listener as usual; when a node dies its entries expire and
 * the one surviving node that finds each of them tells the listener {@code disconnected(…, 0, "node_lost")}.
 * An entry that expired while its node was only paused and that the node renews again is told as
 * {@code connected} once more, so every connection's events keep alternating. The entry's "user" carries the
 * connection as the events describe it, since nothing else survives the node.
 */
final class ConnectionLeases implements GatewayEvents {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLeases.class);
    static final String PREFIX = "leases ";
    static final String NODE_LOST = "node_lost";

    private final GatewayEvents delegate;
    private final PresenceManager presence;
    private final String channel;

    ConnectionLeases(GatewayEvents delegate, PresenceManager presence, String nodeId) {
        this.delegate = delegate;
        this.presence = presence;
        this.channel = PREFIX + nodeId;
    }

    static boolean isLeases(String presenceChannel) {
        return presenceChannel.startsWith(PREFIX);
    }

    @Override
    public void connected(ConnectionInfo connection) {
        presence.join(channel, encode(connection), connection.connection()).exceptionally(e -> {
            log.warn("lease of connection {} not recorded: {}", connection.connection(), e.toString());
            return null;
        });
        delegate.connected(connection);
    }

    @Override
    public void disconnected(ConnectionInfo connection, int code, String reason) {
        presence.leave(channel, encode(connection), connection.connection()).exceptionally(e -> {
            log.warn("lease of connection {} not released: {}", connection.connection(), e.toString());
            return null;
        });
        delegate.disconnected(connection, code, reason);
    }

    /** A lease of a dead node expired: its connection is gone, and this node is the one to say so. */
    static void expiredOn(String entry, GatewayEvents events) {
        events.disconnected(decode(entry), 0, NODE_LOST);
    }

    /** A lease announced expired came back (its node had only paused): the connection is there after all. */
    static void restoredOn(String entry, GatewayEvents events) {
        events.connected(decode(entry));
    }

    static String encode(ConnectionInfo c) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        a.add(c.connection()).add(c.user()).add(c.endpoint()).add(c.remoteAddr()).add(c.connectedAt());
        return a.toString();
    }

    static ConnectionInfo decode(String entry) {
        JsonNode a = Json.parse(entry);
        return new ConnectionInfo(a.get(0).asText(), text(a.get(1)), text(a.get(2)), text(a.get(3)), a.get(4).asLong());
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    // ---- the rest is the delegate's ----------------------------------------------------------------------

    @Override
    public void channelOccupied(String ch) {
        delegate.channelOccupied(ch);
    }

    @Override
    public void channelVacated(String ch) {
        delegate.channelVacated(ch);
    }

    @Override
    public void presenceJoined(String ch, String user) {
        delegate.presenceJoined(ch, user);
    }

    @Override
    public void presenceLeft(String ch, String user) {
        delegate.presenceLeft(ch, user);
    }

    @Override
    public boolean wantsOccupancy() {
        return delegate.wantsOccupancy();
    }

    @Override
    public boolean wantsDisconnects() {
        return delegate.wantsDisconnects();
    }
}
