package dev.switchboard.server.internal.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.server.app.HandlerContext;
import dev.switchboard.server.app.LifecycleHooks;
import dev.switchboard.server.internal.delivery.ChannelMembership;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.operations.Operations;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the built-in handlers see beyond the public {@link HandlerContext}: the connection, the node's
 * operations and channel membership, and the connection's admission (auth, refresh). Implemented by the
 * routing layer, so the built-ins never depend on it.
 */
public interface BuiltinContext extends HandlerContext {

    /** The connection itself (subscriptions, permissions). */
    Connection connection();

    /** The node's operations (publish, send, presence, history). */
    Operations operations();

    /** Channel subscriptions of this node's connections. */
    ChannelMembership channels();

    /** The backend's decisions (subscribe, publish), in-process first. */
    LifecycleHooks hooks();

    /** Most channels one connection may subscribe to. */
    int maxSubscriptions();

    /**
     * Lets the connection in on an {@code auth} message (see the routing layer's client): completes with the
     * auth reply, fails with a {@code ProtocolException} when refused.
     */
    CompletableFuture<Map<String, Object>> authenticate(String token, JsonNode data);

    /** Renews the connection's credential with a new ticket for the same user. */
    Map<String, Object> refresh(String token);

    /** Answers with a frame of a type other than {@code reply} (e.g. {@code pong}); it is sent as given. */
    void answer(ObjectNode frame);

    /** Sends one frame of a streaming answer as given (not the last: the request stays open). */
    void stream(ObjectNode frame);
}
