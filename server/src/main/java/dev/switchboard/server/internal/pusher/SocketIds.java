package dev.switchboard.server.internal.pusher;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pusher socket ids ({@code 1234.5678}: the form its server libraries validate) for this node's Pusher
 * connections, and the way back to the connection: the HTTP API's {@code socket_id} (leave the sender out) names a
 * socket that lives on one node, which finds it here.
 */
final class SocketIds {

    private final long node;
    private final AtomicLong next = new AtomicLong();
    private final Map<String, String> connections = new ConcurrentHashMap<>();

    /** @param nodeId this node's id: its hash is the first half of every socket id made here */
    SocketIds(String nodeId) {
        this.node = Integer.toUnsignedLong(nodeId.hashCode()) % 1_000_000_000L;
    }

    /** A new socket id for {@code connectionId}. */
    String assign(String connectionId) {
        String id = node + "." + next.incrementAndGet();
        connections.put(id, connectionId);
        return id;
    }

    void forget(String socketId) {
        connections.remove(socketId);
    }

    /** The connection of a socket id of this node's, or null (another node's, or gone). */
    String connectionOf(String socketId) {
        return connections.get(socketId);
    }

    /** Whether {@code socketId} has Pusher's form. */
    static boolean wellFormed(String socketId) {
        return socketId != null && socketId.matches("\\d{1,19}\\.\\d{1,19}");
    }
}
