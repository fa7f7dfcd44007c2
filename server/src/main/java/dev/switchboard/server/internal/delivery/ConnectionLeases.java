package dev.switchboard.server.internal.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.app.ForwardingEvents;
import dev.switchboard.server.app.GatewayEvents;
import dev.switchboard.server.engine.PresenceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disconnects that survive the node: every let-in connection holds an entry in the engine's presence (the
 * pseudo-channel {@code leases <node>}, one per node so no key is shared cluster-wide), renewed by its node's
 * heartbeat. A clean close removes it and tells the listener as usual; when a node dies its entries expire and
 * the one surviving node that finds each of them tells the listener {@code disconnected(…, 0, "node_lost")}.
 * Events are told when the engine's entry changes, so each is told once even when the engine was unreachable at
 * the time: an entry written late by the heartbeat (or renewed after it expired while its node was paused or
 * cut off) is told as {@code connected}, so every connection's events alternate. The entry's "user" carries the
 * connection as the events describe it, since nothing else survives the node.
 */
final class ConnectionLeases extends ForwardingEvents {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLeases.class);
    static final String PREFIX = "leases ";
    static final String NODE_LOST = "node_lost";

    private final PresenceManager presence;
    private final String channel;

    ConnectionLeases(GatewayEvents delegate, PresenceManager presence, String nodeId) {
        super(delegate);
        this.presence = presence;
        this.channel = PREFIX + nodeId;
    }

    static boolean isLeases(String presenceChannel) {
        return presenceChannel.startsWith(PREFIX);
    }

    /**
     * Told once the lease is in the engine. A lease that could not be written (the engine unreachable) is written
     * by the next heartbeat, which reports it as restored: the connect is told then, once either way.
     */
    @Override
    public void connected(ConnectionInfo connection) {
        presence.join(channel, encode(connection), connection.connection()).whenComplete((first, e) -> {
            if (e == null && first) {
                delegate.connected(connection);
            } else if (e != null) {
                log.debug("lease of connection {} not written yet: {}", connection.connection(), e.toString());
            }
        });
    }

    /**
     * Told once the lease is gone from the engine. A lease that could not be removed expires, and the node that
     * finds it expired tells the disconnect ({@code node_lost}); one never written is not told either.
     */
    @Override
    public void disconnected(ConnectionInfo connection, int code, String reason) {
        presence.leave(channel, encode(connection), connection.connection()).whenComplete((last, e) -> {
            if (e == null && last) {
                delegate.disconnected(connection, code, reason);
            } else if (e != null) {
                log.debug("lease of connection {} not released, it will expire: {}", connection.connection(), e.toString());
            }
        });
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
}
