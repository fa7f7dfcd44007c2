package dev.switchboard.server.handlers;

import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.MessageTypes;
import dev.switchboard.server.auth.Ticket;
import dev.switchboard.server.routing.Endpoint;
import dev.switchboard.server.routing.HandlerOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/** Built-ins about the connection itself: {@code auth}, {@code ping}, {@code echo}. */
final class ConnectionHandlers {

    private ConnectionHandlers() {
    }

    static void install(Endpoint endpoint) {
        endpoint.on(MessageTypes.AUTH, (ctx, msg) -> {
            Ticket ticket = ctx.client().authenticate(msg.requireText("token"));
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("connection", ctx.connectionId());
            reply.put("session", ctx.sessionId());
            reply.put("user", ticket.user());
            reply.put("expiresAt", ticket.expiresAt());
            ctx.reply(reply);
        }, HandlerOptions.PUBLIC);

        endpoint.on(MessageTypes.PING, (ctx, msg) ->
                ctx.answer(Frames.pong(msg.id(), ctx.hub().clock().millis())), HandlerOptions.PUBLIC);

        endpoint.on(MessageTypes.ECHO, (ctx, msg) -> ctx.reply(msg.data()), HandlerOptions.NON_BLOCKING);
    }
}
