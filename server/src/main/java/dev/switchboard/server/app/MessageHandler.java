package dev.switchboard.server.app;

import dev.switchboard.protocol.Envelope;

/**
 * Application code for one message type: {@code endpoint.on("chat.prompt", (ctx, msg) -> ctx.reply(...))}.
 * Runs on a virtual thread, so blocking calls (a database, an HTTP call to a model) are fine; handlers of
 * one connection run one at a time, in arrival order. Throw a {@link dev.switchboard.protocol.ProtocolException}
 * to answer with a specific error code; any other exception answers {@code internal}.
 */
@FunctionalInterface
public interface MessageHandler {
    void handle(HandlerContext ctx, Envelope msg) throws Exception;
}
