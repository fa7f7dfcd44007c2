package dev.switchboard.server.app;

/**
 * A WebSocket path with its own handler set and auth policy, e.g. {@code /ws} (authenticated chat) and
 * {@code /ws/notifications} (anonymous, receive-only):
 * {@code gateway.endpoint("/ws").on("chat.prompt", (ctx, msg) -> ctx.chunk(...))}.
 */
public interface Endpoint {

    /** The URL path that upgrades to this endpoint. */
    String path();

    /** Whether connections are welcomed without a ticket (they may still {@code auth} later). */
    boolean allowsAnonymous();

    /** Handles {@code type} with a handler that needs an identified connection and may block. */
    default Endpoint on(String type, MessageHandler handler) {
        return on(type, handler, HandlerOptions.DEFAULT);
    }

    /** Handles {@code type} with explicit options; replaces an earlier handler of the same type. */
    Endpoint on(String type, MessageHandler handler, HandlerOptions options);
}
