package dev.switchboard.server.internal.handlers;

import dev.switchboard.protocol.Channels;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.MessageTypes;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.Replies;
import dev.switchboard.server.app.HandlerOptions;

/** Built-ins that send: {@code publish} (a channel), {@code send} (a user), {@code broadcast} (everyone). */
final class MessagingHandlers {

    private MessagingHandlers() {
    }

    static void install(Builtins endpoint) {
        endpoint.builtin(MessageTypes.PUBLISH, (ctx, msg) -> {
            String channel = Channels.validate(msg.requireText("channel"));
            if (!ctx.channels().policies().clientPublish(channel) || !ctx.channels().policies().nativeClients(channel)) {
                throw new ProtocolException(ErrorCode.FORBIDDEN, "clients do not publish to " + channel
                        + " (its namespace takes publications from backends only)");
            }
            if (!ctx.connection().permissions().mayPublish(channel)) {
                throw new ProtocolException(ErrorCode.FORBIDDEN, "publish to " + channel + " is not allowed");
            }
            JsonNode data = msg.requireField("data");
            ctx.replyWhenDone(HookVerdicts.publish(ctx, channel, data)
                    .thenCompose(rewritten -> ctx.publish(channel, rewritten != null ? rewritten : data))
                    .thenApply(Replies::publish));
        }, HandlerOptions.NON_BLOCKING);

        endpoint.builtin(MessageTypes.SEND, (ctx, msg) -> {
            if (ctx.user() == null) {
                throw new ProtocolException(ErrorCode.FORBIDDEN, "anonymous connections cannot send to users");
            }
            ctx.replyWhenDone(ctx.sendToUser(msg.requireText("user"), msg.requireField("data"))
                    .thenApply(v -> Json.object()));
        }, HandlerOptions.NON_BLOCKING);

        endpoint.builtin(MessageTypes.BROADCAST, (ctx, msg) -> {
            if (!ctx.connection().permissions().broadcast()) {
                throw new ProtocolException(ErrorCode.FORBIDDEN, "broadcast needs the broadcast permission");
            }
            boolean excludeSelf = msg.data().path("excludeSelf").asBoolean(true);
            ctx.replyWhenDone(ctx.broadcast(msg.requireField("data"), excludeSelf).thenApply(v -> Json.object()));
        }, HandlerOptions.NON_BLOCKING);
    }
}
