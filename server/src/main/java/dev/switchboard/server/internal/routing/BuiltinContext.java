package dev.switchboard.server.internal.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.server.app.HandlerContext;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.delivery.Hub;

/** What the built-in handlers see beyond the public {@link HandlerContext}: the node's internals. */
public interface BuiltinContext extends HandlerContext {

    /** The connection itself (subscriptions, permissions). */
    Connection connection();

    /** The node's hub. */
    Hub hub();

    /** The per-connection client state (auth, hooks). */
    Client client();

    /** Answers with a frame of a type other than {@code reply} (e.g. {@code pong}); it is sent as given. */
    void answer(ObjectNode frame);
}
