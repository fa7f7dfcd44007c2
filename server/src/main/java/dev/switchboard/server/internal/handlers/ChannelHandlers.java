package dev.switchboard.server.internal.handlers;

import dev.switchboard.protocol.Channels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.MessageTypes;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.internal.delivery.RecoveryResult;
import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.protocol.PresenceEntry;
import dev.switchboard.protocol.Publication;
import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.server.internal.routing.EndpointRoutes;
import dev.switchboard.server.internal.routing.BuiltinContext;
import dev.switchboard.server.app.HandlerOptions;
import java.util.List;

/** Built-ins about channels: {@code subscribe}, {@code unsubscribe}, {@code presence}, {@code history}. */
public final class ChannelHandlers {

    /** Most publications one history request returns. */
    public static final int MAX_HISTORY_LIMIT = 1000;

    /** Most publications a recovering subscribe delivers; a longer gap answers {@code recovered: false}. */
    static final int MAX_RECOVERED = 10_000;

    private ChannelHandlers() {
    }

    static void install(EndpointRoutes endpoint) {
        endpoint.builtin(MessageTypes.SUBSCRIBE, (ctx, msg) -> {
            String channel = readableChannel(ctx, msg.requireText("channel"));
            int max = ctx.client().settings().maxSubscriptions();
            if (!ctx.connection().isSubscribed(channel) && ctx.connection().channels().size() >= max) {
                throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, "at most " + max + " subscriptions per connection");
            }
            StreamPosition since = since(msg.data());
            ctx.defer();
            // The reply is written by the hub, on the connection's event loop, so that recovered publications
            // and the live ones held during recovery reach the socket in offset order (see Hub#subscribe).
            HookVerdicts.subscribe(ctx, channel, msg.data().get("data"))
                    .thenCompose(hookData -> ctx.hub().subscribe(ctx.connection(), channel, since, MAX_RECOVERED,
                            result -> ctx.reply(withData(subscribeReply(channel, result), hookData))))
                    .exceptionally(failure -> {
                        ctx.fail(failure);
                        return null;
                    });
        }, HandlerOptions.NON_BLOCKING);

        endpoint.builtin(MessageTypes.UNSUBSCRIBE, (ctx, msg) -> {
            String channel = Channels.validate(msg.requireText("channel"));
            ctx.replyWhenDone(ctx.hub().unsubscribe(ctx.connection(), channel).thenApply(v -> {
                ObjectNode reply = Json.object();
                reply.put("channel", channel);
                return reply;
            }));
        }, HandlerOptions.NON_BLOCKING);

        endpoint.builtin(MessageTypes.PRESENCE, (ctx, msg) -> {
            String channel = readableChannel(ctx, msg.requireText("channel"));
            if (!ctx.hub().hasPresence(channel)) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "presence is not enabled for " + channel);
            }
            ctx.replyWhenDone(ctx.hub().presence(channel).thenApply(users -> presenceReply(channel, users)));
        }, HandlerOptions.NON_BLOCKING);

        endpoint.builtin(MessageTypes.HISTORY, (ctx, msg) -> {
            String channel = readableChannel(ctx, msg.requireText("channel"));
            HistoryQuery query = new HistoryQuery(optionalLong(msg.data(), "since"),
                    Math.min(MAX_HISTORY_LIMIT, (int) optionalLong(msg.data(), "limit", MAX_HISTORY_LIMIT)),
                    msg.data().path("reverse").asBoolean(false));
            ctx.replyWhenDone(ctx.hub().history(channel, query).thenApply(page -> historyReply(channel, page)));
        }, HandlerOptions.NON_BLOCKING);
    }

    /** The subscribe answer: position, and with {@code since} whether recovery worked and what was missed. */
    static ObjectNode subscribeReply(String channel, RecoveryResult result) {
        ObjectNode reply = Json.object();
        reply.put("channel", channel);
        reply.put("offset", result.position().offset());
        reply.put("epoch", result.position().epoch());
        if (result.recovered() != null) {
            reply.put("recovered", result.recovered());
            ArrayNode list = reply.putArray("publications");
            for (Publication p : result.publications()) {
                list.add(Frames.channelMessage(p.channel(), p.offset(), p.epoch(), p.ts(), p.from(), p.data()));
            }
        }
        return reply;
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

    /** The presence answer shared by the WebSocket {@code presence} type and the HTTP API. */
    public static ObjectNode presenceReply(String channel, List<PresenceEntry> users) {
        ObjectNode reply = Json.object();
        reply.put("channel", channel);
        ArrayNode list = reply.putArray("users");
        for (PresenceEntry e : users) {
            list.addObject().put("user", e.user()).put("connections", e.connections());
        }
        return reply;
    }

    /** The publish answer shared by the WebSocket {@code publish} type and the HTTP API. */
    public static ObjectNode publishReply(Publication p) {
        ObjectNode reply = Json.object();
        reply.put("channel", p.channel());
        reply.put("offset", p.offset());
        reply.put("epoch", p.epoch());
        reply.put("ts", p.ts());
        return reply;
    }

    /** The history answer shared by the WebSocket {@code history} type and the HTTP API. */
    public static ObjectNode historyReply(String channel, HistoryPage<Publication> page) {
        ObjectNode reply = Json.object();
        reply.put("channel", channel);
        reply.put("offset", page.position().offset());
        reply.put("epoch", page.position().epoch());
        reply.put("complete", page.complete());
        ArrayNode list = reply.putArray("publications");
        for (Publication p : page.publications()) {
            list.add(Frames.channelMessage(p.channel(), p.offset(), p.epoch(), p.ts(), p.from(), p.data()));
        }
        return reply;
    }

    private static String readableChannel(BuiltinContext ctx, String channel) {
        Channels.validate(channel);
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
