package dev.switchboard.server.internal.routing;

import dev.switchboard.server.internal.handlers.Builtins;
import dev.switchboard.server.internal.handlers.BuiltinHandler;

import dev.switchboard.server.app.Endpoint;
import dev.switchboard.server.app.HandlerOptions;
import dev.switchboard.server.app.MessageHandler;

/** The gateway's side of an {@link Endpoint}: its handler registry, built-ins and fallbacks included. */
public final class EndpointRoutes implements Endpoint, Builtins {

    private final String path;
    private final boolean anonymous;
    private final HandlerRegistry handlers = new HandlerRegistry();
    private volatile ReplyOutputs replies = ReplyOutputs.NONE;
    private volatile boolean resumableByDefault;

    public EndpointRoutes(String path, boolean anonymous) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("endpoint path must start with /: " + path);
        }
        this.path = path;
        this.anonymous = anonymous;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public boolean allowsAnonymous() {
        return anonymous;
    }

    @Override
    public EndpointRoutes on(String type, MessageHandler handler, HandlerOptions options) {
        handlers.register(type, handler, options);
        return this;
    }

    @Override
    public EndpointRoutes builtin(String type, BuiltinHandler handler, HandlerOptions options) {
        handlers.register(type, handler, options);
        return this;
    }

    /**
     * Handles every type matching {@code glob} (e.g. {@code app.*}) that has no handler of its own: how
     * the RPC hook takes types it was configured for.
     */
    public EndpointRoutes onUnmatched(String glob, MessageHandler handler, HandlerOptions options) {
        handlers.registerUnmatched(glob, handler, options);
        return this;
    }

    public HandlerRegistry handlers() {
        return handlers;
    }

    /** Who opens resumable replies on this endpoint. */
    public ReplyOutputs replies() {
        return replies;
    }

    public void replies(ReplyOutputs replies) {
        this.replies = replies;
    }

    /** Whether every request with an id is resumable here, asked or not ({@code --endpoint PATH:resumable}). */
    public boolean resumableByDefault() {
        return resumableByDefault;
    }

    public void resumableByDefault(boolean on) {
        this.resumableByDefault = on;
    }
}
