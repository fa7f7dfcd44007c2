package dev.switchboard.server.internal.handlers;

import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.MessageTypes;
import dev.switchboard.server.app.HandlerOptions;

/** Built-ins about the connection itself: {@code auth}, {@code refresh}, {@code ping}, {@code echo}. */
final class ConnectionHandlers {

    private ConnectionHandlers() {
    }

    static void install(Builtins endpoint) {
        endpoint.builtin(MessageTypes.AUTH, (ctx, msg) ->
                ctx.replyWhenDone(ctx.authenticate(msg.optionalText("token"), msg.data().get("data"))),
                HandlerOptions.PUBLIC);

        endpoint.builtin(MessageTypes.REFRESH, (ctx, msg) -> ctx.reply(ctx.refresh(msg.requireText("token"))),
                HandlerOptions.NON_BLOCKING);

        endpoint.builtin(MessageTypes.PING, (ctx, msg) ->
                ctx.answer(Frames.pong(msg.id(), ctx.operations().clock().millis())), HandlerOptions.PUBLIC);

        endpoint.builtin(MessageTypes.ECHO, (ctx, msg) -> ctx.reply(msg.data()), HandlerOptions.NON_BLOCKING);
    }
}
