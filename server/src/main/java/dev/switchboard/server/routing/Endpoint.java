package dev.switchboard.server.routing;

/**
 * A WebSocket path with its own handler set and auth policy, e.g. {@code /ws} (authenticated chat) and
 * {@code /ws/notifications} (anonymous, receive-only). This is the whole public API a handler author touches:
 * {@code gateway.endpoint("/ws").on("chat.prompt", (ctx, msg) -> ctx.chunk(...))}.
 */
public final class Endpoint {

    private final String path;
    private final boolean anonymous;
    private final HandlerRegistry handlers = new HandlerRegistry();

    /**
     * @param path      the URL path that upgrades to this endpoint
     * @param anonymous whether connections are welcomed without a ticket (they may still {@code auth} later)
     */
    public Endpoint(String path, boolean anonymous) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("endpoint path must start with /: " + path);
        }
        this.path = path;
        this.anonymous = anonymous;
    }

    public String path() {
        return path;
    }

    public boolean allowsAnonymous() {
        return anonymous;
    }

    /** Handles {@code type} with a handler that needs an identified connection and may block. */
    public Endpoint on(String type, MessageHandler handler) {
        return on(type, handler, HandlerOptions.DEFAULT);
    }

    /** Handles {@code type} with explicit options. */
    public Endpoint on(String type, MessageHandler handler, HandlerOptions options) {
        handlers.register(type, handler, options);
        return this;
    }

    /**
     * Handles every type matching {@code glob} (e.g. {@code app.*}) that has no handler of its own: how
     * the RPC hook takes types it was configured for.
     */
    public Endpoint onUnmatched(String glob, MessageHandler handler, HandlerOptions options) {
        handlers.registerUnmatched(glob, handler, options);
        return this;
    }

    public HandlerRegistry handlers() {
        return handlers;
    }
}
