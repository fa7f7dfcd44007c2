package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * How the load client speaks to one kind of server: the frames it sends for the few operations the scenarios use,
 * and how it classifies what comes back. The Switchboard envelope is spoken by the gateway, the Node baseline and
 * the floor; Socket.IO's Engine.IO framing by the Socket.IO baseline. Requests are identified by a positive long
 * the scenario chooses; {@link #SUBSCRIBE_ID} marks subscription confirmations whatever the dialect.
 */
public interface Dialect {

    /** The {@code re} a subscription's confirmation comes back with. */
    String SUBSCRIBE_ID = "s";

    /** What one inbound frame is, as far as the load client cares. */
    enum Kind { OPEN, WELCOME, MESSAGE, REPLY, ERROR, PING, OTHER }

    /** The path of the WebSocket endpoint, without the query. */
    String path();

    /** The query parameters that come before {@code token=} (empty, or ending in {@code &}). */
    default String queryPrefix() {
        return "";
    }

    /** The frame that answers the server's transport-level open ({@link Kind#OPEN}), or null if none is needed. */
    default String afterOpen() {
        return null;
    }

    /** The answer to an application-level ping ({@link Kind#PING}). */
    default String pong() {
        return null;
    }

    /** Subscribe to {@code channel}; confirmed by a reply whose {@link #re} is {@link #SUBSCRIBE_ID}. */
    String subscribe(String channel);

    /** Whether a client may publish over its socket ({@link #publish}); else only over HTTP. */
    default boolean publishesOverSocket() {
        return true;
    }

    /** Publish {@code data} (a JSON value) to {@code channel} without asking for a reply. */
    String publish(String channel, String data);

    /** A request of {@code type} carrying {@code data}, answered with a reply whose {@link #re} is {@code id} in base 36. */
    String request(String type, long id, String data);

    /** Whether connections carry a ticket from the target's {@code /auth/token} (Pusher's public channels do not). */
    default boolean usesTickets() {
        return true;
    }

    /**
     * The HTTP request a backend would send to publish {@code data} (a JSON value) to {@code channel} on the
     * server at {@code base}, for scenarios that publish over HTTP rather than over a socket.
     */
    default HttpRequest httpPublish(URI base, String channel, String data) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no HTTP publish API");
    }

    /** The send stamp of the bench payload in a {@link Kind#MESSAGE} frame, or -1. */
    default long stamp(ByteBuf frame) {
        return FrameScan.stamp(frame);
    }

    /** Classifies a text frame. */
    Kind kind(ByteBuf frame);

    /** The correlation of a reply or error, or null. */
    String re(ByteBuf frame);
}
