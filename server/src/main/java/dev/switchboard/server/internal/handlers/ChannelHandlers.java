package dev.switchboard.server.internal.handlers;

import dev.switchboard.protocol.Channels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.MessageTypes;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.Replies;
import dev.switchboard.server.internal.operations.Operations;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.server.app.HandlerOptions;

/** Built-ins about channels: {@code subscribe}, {@code unsubscribe}, {@code presence}, {@code history}. */
public final class ChannelHandlers {

    /** Most publications a recovering subscribe delivers; a longer gap answers {@code recovered: false}. */
    static final int MAX_RECOVERED = 10_000;

    private ChannelHandlers() {
    }

    static void install(Builtins endpoint) {
        endpoint.builtin(MessageTypes.SUBSCRIBE, (ctx, msg) -> {
            String channel = readableChannel(ctx, msg.requireText("channel"));
            int max = ctx.maxSubscriptions();
            if (!ctx.connection().isSubscribed(channel) && ctx.connection().channels().size() >= max) {
                throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, "at most " + max + " subscriptions per connection");
            }
            StreamPosition asked = since(msg.data());
            // Where recovery is off (a namespace's recover: false) the answer says it did not recover.
            boolean recoverable = ctx.channels().policies().recover(channel);
            StreamPosition since = recoverable ? asked : null;
            ctx.defer();
            // The reply is written on the connection's event loop, so that recovered publications and the live
            // ones held during recovery reach the socket in offset order (see delivery.Recovery).
            HookVerdicts.subscribe(ctx, channel, msg.data().get("data"))
                    .thenCompose(hookData -> ctx.channels().subscribe(ctx.connection(), channel, since, MAX_RECOVERED,
                            result -> ctx.reply(withData(Replies.subscribe(channel, result.position(),
                                    asked != null && !recoverable ? Boolean.FALSE : result.recovered(),
                                    result.publications()), hookData))))
                    .exceptionally(failure -> {
                        ctx.fail(failure);
                        return null;
                    });
        }, HandlerOptions.NON_BLOCKING);

        endpoint.builtin(MessageTypes.UNSUBSCRIBE, (ctx, msg) -> {
            String channel = Channels.validate(msg.requireText("channel"));
            ctx.replyWhenDone(ctx.channels().unsubscribe(ctx.connection(), channel).thenApply(v -> {
                ObjectNode reply = Json.object();
                reply.put("channel", channel);
                return reply;
            }));
        }, HandlerOptions.NON_BLOCKING);

        endpoint.builtin(MessageTypes.PRESENCE, (ctx, msg) -> {
            String channel = readableChannel(ctx, msg.requireText("channel"));
            ctx.replyWhenDone(ctx.operations().presence(channel).thenApply(users -> Replies.presence(channel, users)));
        }, HandlerOptions.NON_BLOCKING);

        endpoint.builtin(MessageTypes.HISTORY, (ctx, msg) -> {
            String channel = readableChannel(ctx, msg.requireText("channel"));
            HistoryQuery query = new HistoryQuery(optionalLong(msg.data(), "since"),
                    (int) Math.min(Operations.MAX_HISTORY_LIMIT, optionalLong(msg.data(), "limit", Operations.MAX_HISTORY_LIMIT)),
                    msg.data().path("reverse").asBoolean(false));
            ctx.replyWhenDone(ctx.operations().history(channel, query).thenApply(page -> Replies.history(channel, page)));
        }, HandlerOptions.NON_BLOCKING);
    }

    private static ObjectNode withData(ObjectNode reply, JsonNode hookData) {
        if (hookData != null) {
            reply.set("data", hookData);
        }
        return reply;
    }

    /** {@code data.since}: {@code {"offset": n, "epoch": "e"}}, or null when absent. */
    static StreamPosition since(JsonNode data) {
        JsonNode since = data.get("since");
        if (since == null || since.isNull()) {
            return null;
        }
        if (!since.isObject()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "data.since must be {\"offset\",\"epoch\"}");
        }
        Long offset = optionalLong(since, "offset");
        JsonNode epoch = since.get("epoch");
        if (offset == null || offset < 0 || epoch == null || !epoch.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "data.since must be {\"offset\": n >= 0, \"epoch\": \"…\"}");
        }
        return new StreamPosition(offset, epoch.asText());
    }




    private static String readableChannel(BuiltinContext ctx, String channel) {
        Channels.validate(channel);
        if (!ctx.channels().policies().nativeClients(channel)) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, channel + " belongs to another protocol's clients");
        }
        if (!ctx.connection().permissions().maySubscribe(channel)) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "subscribe to " + channel + " is not allowed");
        }
        return channel;
    }

    static Long optionalLong(JsonNode data, String field) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "data." + field + " must be an integer");
        }
        return node.asLong();
    }

    static long optionalLong(JsonNode data, String field, long fallback) {
        Long v = optionalLong(data, field);
        return v == null ? fallback : v;
    }
}
