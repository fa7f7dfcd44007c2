package dev.switchboard.server.internal.pusher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.PresenceEntry;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.engine.EngineUnavailableException;
import dev.switchboard.server.engine.Target;
import dev.switchboard.server.internal.operations.Operations;
import dev.switchboard.server.internal.transport.HttpRequestData;
import dev.switchboard.server.internal.transport.HttpResult;
import dev.switchboard.server.internal.transport.HttpRoutes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Pusher's HTTP API at {@code /apps/{id}/…}, every request signed as Pusher signs it ({@link PusherRequestAuth}):
 * trigger an event on up to 100 channels ({@code socket_id} leaves the sender out), a batch of up to 10,
 * list channels (by prefix, with user and subscription counts), one channel's info, a presence channel's
 * users, and terminate a user's connections. Every operation is the node's ({@link Operations}): a trigger is
 * a publication of the app's channel, stored and offset like any other, so recovery and the cluster apply.
 */
final class PusherHttpApi {

    private final PusherApps apps;
    private final Operations operations;
    private final PusherSettings settings;
    private final PusherRequestAuth auth;
    private final PusherMetrics metrics;

    PusherHttpApi(PusherApps apps, Operations operations, PusherSettings settings, Clock clock, PusherMetrics metrics) {
        this.apps = apps;
        this.operations = operations;
        this.settings = settings;
        this.auth = new PusherRequestAuth(clock);
        this.metrics = metrics;
    }

    void install(HttpRoutes routes) {
        routes.add("POST", "/apps/{app}/events", signed("events", this::trigger));
        routes.add("POST", "/apps/{app}/batch_events", signed("batch_events", this::batch));
        routes.add("GET", "/apps/{app}/channels", signed("channels", this::channels));
        routes.add("GET", "/apps/{app}/channels/{channel}", signed("channel", this::channel));
        routes.add("GET", "/apps/{app}/channels/{channel}/users", signed("users", this::users));
        routes.add("POST", "/apps/{app}/users/{user}/terminate_connections", signed("terminate_connections", this::terminate));
        routes.add("GET", "/apps/{app}/channels/{channel}/events", signed("channel_events", this::history)); // an extension
    }

    /** A handler given the request's app, once its signature checked out. */
    @FunctionalInterface
    private interface AppHandler {
        CompletableFuture<HttpResult> handle(PusherApps.App app, HttpRequestData request);
    }

    /** {@code operation} names the route in the requests metric. */
    private HttpRoutes.Handler signed(String operation, AppHandler handler) {
        return request -> {
            PusherApps.App app = apps.byId(request.pathParams().get("app"));
            return answer(app, request, handler).thenApply(result -> {
                metrics.of(app).request(operation, result.status());
                return result;
            });
        };
    }

    private CompletableFuture<HttpResult> answer(PusherApps.App app, HttpRequestData request, AppHandler handler) {
        if (app == null) {
            return done(text(404, "Unknown app: " + request.pathParams().get("app")));
        }
        String refusal = auth.refusal(app, request);
        if (refusal != null) {
            return done(text(401, refusal));
        }
        try {
            return handler.handle(app, request).exceptionally(PusherHttpApi::failure);
        } catch (ProtocolException e) {
            return done(failure(e));
        }
    }

    private static HttpResult failure(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof ProtocolException pe) {
            return text(switch (pe.code()) {
                case "unavailable" -> 503;
                case "too_large" -> 413;
                default -> 400;
            }, pe.getMessage());
        }
        if (t instanceof EngineUnavailableException) {
            return text(503, "The server cannot take events now: retry");
        }
        return text(500, "Internal error");
    }

    // ---- events -------------------------------------------------------------------------------------------

    private CompletableFuture<HttpResult> trigger(PusherApps.App app, HttpRequestData request) {
        JsonNode body = body(request);
        return publish(app, body, idempotencyKey(request, body)).thenCompose(channels -> infoOf(app, channels,
                body.path("info").asText(""))).thenApply(info -> HttpResult.json(200, info == null ? Json.object()
                : Json.object().set("channels", info)));
    }

    private CompletableFuture<HttpResult> batch(PusherApps.App app, HttpRequestData request) {
        JsonNode batch = body(request).path("batch");
        if (!batch.isArray() || batch.isEmpty() || batch.size() > PusherSettings.MAX_BATCH) {
            throw bad("batch must be a list of 1 to " + PusherSettings.MAX_BATCH + " events");
        }
        List<CompletableFuture<ObjectNode>> each = new ArrayList<>();
        boolean anyInfo = false;
        for (JsonNode event : batch) {
            if (!event.isObject()) {
                throw bad("every batch event must be an object");
            }
            anyInfo |= !event.path("info").asText("").isEmpty();
            validate(app, event); // all before any: a bad event publishes nothing of its batch
        }
        for (JsonNode event : batch) {
            each.add(publish(app, event, event.path("idempotency_key").asText(null))
                    .thenCompose(channels -> infoOf(app, channels, event.path("info").asText("")))
                    .thenApply(info -> info == null ? Json.object() : (ObjectNode) info.elements().next()));
        }
        boolean wantsInfo = anyInfo;
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> {
            if (!wantsInfo) {
                return HttpResult.json(200, Json.object());
            }
            ArrayNode out = Json.MAPPER.createArrayNode();
            each.forEach(f -> out.add(f.join()));
            return HttpResult.json(200, Json.object().set("batch", out));
        });
    }

    private static String idempotencyKey(HttpRequestData request, JsonNode body) {
        String header = request.header("X-Idempotency-Key");
        return header != null ? header : body.path("idempotency_key").asText(null);
    }

    /** The event's channels, checked: name, data size, channel names, socket_id. */
    private List<String> validate(PusherApps.App app, JsonNode event) {
        String name = event.path("name").asText("");
        if (name.isEmpty() || name.length() > settings.maxEventNameLength()) {
            throw bad("name must be 1 to " + settings.maxEventNameLength() + " characters");
        }
        JsonNode data = event.get("data");
        if (data == null || data.isNull()) {
            throw bad("data is required");
        }
        String text = data.isTextual() ? data.asText() : data.toString();
        if (text.length() > settings.maxEventBytes()) {
            throw new ProtocolException("too_large", "The data content of this event exceeds the allowed maximum ("
                    + settings.maxEventBytes() + " bytes)");
        }
        List<String> channels = new ArrayList<>();
        if (event.path("channels").isArray()) {
            event.get("channels").forEach(c -> channels.add(c.asText()));
        } else if (event.path("channel").isTextual()) {
            channels.add(event.get("channel").asText());
        }
        if (channels.isEmpty() || channels.size() > PusherSettings.MAX_CHANNELS_PER_EVENT) {
            throw bad("channels must name 1 to " + PusherSettings.MAX_CHANNELS_PER_EVENT + " channels");
        }
        for (String c : channels) {
            if (!PusherChannels.valid(c)) {
                throw bad("Invalid channel name: " + c);
            }
        }
        String socketId = event.path("socket_id").asText(null);
        if (socketId != null && !SocketIds.wellFormed(socketId)) {
            throw bad("Invalid socket_id: " + socketId);
        }
        return channels;
    }

    /** Publishes one event to each of its channels; completes with those channels. */
    private CompletableFuture<List<String>> publish(PusherApps.App app, JsonNode event, String idempotencyKey) {
        List<String> channels = validate(app, event);
        JsonNode data = PusherFrames.dataString(event.get("data"));
        ObjectNode stored = PusherFormat.stored(event.path("name").asText(), data, event.path("socket_id").asText(null));
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (String c : channels) {
            all.add(operations.publish(app.internal(c), null, stored, idempotencyKey));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
            metrics.of(app).triggered(channels.size());
            return channels;
        });
    }

    /** {@code {channel: {subscription_count, user_count}}} for {@code info}, or null when none was asked. */
    private CompletableFuture<ObjectNode> infoOf(PusherApps.App app, List<String> channels, String info) {
        Set<String> wanted = attributes(info);
        if (wanted.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return operations.channelsOf(app.namespace()).thenCompose(index -> {
            Map<String, Integer> subscriptions = subscriptions(index);
            Map<String, CompletableFuture<ObjectNode>> rows = new LinkedHashMap<>();
            for (String c : channels) {
                rows.put(c, attributesOf(app, c, wanted, subscriptions));
            }
            return CompletableFuture.allOf(rows.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
                ObjectNode out = Json.object();
                rows.forEach((c, row) -> out.set(c, row.join()));
                return out;
            });
        });
    }

    private static Set<String> attributes(String info) {
        Set<String> wanted = new java.util.LinkedHashSet<>();
        for (String a : info.split(",")) {
            String attribute = a.trim();
            if (attribute.isEmpty()) {
                continue;
            }
            if (!attribute.equals("user_count") && !attribute.equals("subscription_count")) {
                throw bad("info may ask for user_count and subscription_count, not " + attribute);
            }
            wanted.add(attribute);
        }
        return wanted;
    }

    private static Map<String, Integer> subscriptions(List<PresenceEntry> index) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        index.forEach(e -> counts.put(e.user(), e.connections()));
        return counts;
    }

    /** One channel's attributes; {@code user_count} only where it means something (presence channels). */
    private CompletableFuture<ObjectNode> attributesOf(PusherApps.App app, String channel, Set<String> wanted,
                                                      Map<String, Integer> subscriptions) {
        Integer count = subscriptions.get(app.internal(channel));
        ObjectNode row = Json.object();
        if (wanted.contains("subscription_count")) {
            row.put("subscription_count", count == null ? 0 : count);
        }
        if (wanted.contains("user_count") && PusherChannels.isPresence(channel)) {
            if (count == null) {
                return CompletableFuture.completedFuture(row.put("user_count", 0));
            }
            return operations.presence(app.internal(channel)).thenApply(users -> row.put("user_count", users.size()));
        }
        return CompletableFuture.completedFuture(row);
    }

    // ---- channels and users ---------------------------------------------------------------------------------

    private CompletableFuture<HttpResult> channels(PusherApps.App app, HttpRequestData request) {
        String prefix = request.queryParam("filter_by_prefix");
        Set<String> wanted = attributes(request.queryParam("info") == null ? "" : request.queryParam("info"));
        if (wanted.contains("user_count") && (prefix == null || !prefix.startsWith("presence-"))) {
            throw bad("user_count may only be asked for presence channels: filter_by_prefix=presence-");
        }
        return operations.channelsOf(app.namespace()).thenCompose(index -> {
            Map<String, Integer> subscriptions = subscriptions(index);
            Map<String, CompletableFuture<ObjectNode>> rows = new java.util.TreeMap<>();
            for (String internal : subscriptions.keySet()) {
                String channel = app.external(internal);
                if (prefix == null || channel.startsWith(prefix)) {
                    rows.put(channel, attributesOf(app, channel, wanted, subscriptions));
                }
            }
            return CompletableFuture.allOf(rows.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
                ObjectNode channels = Json.object();
                rows.forEach((c, row) -> channels.set(c, row.join()));
                return HttpResult.json(200, Json.object().set("channels", channels));
            });
        });
    }

    private CompletableFuture<HttpResult> channel(PusherApps.App app, HttpRequestData request) {
        String channel = channelParam(request);
        Set<String> wanted = attributes(request.queryParam("info") == null ? "" : request.queryParam("info"));
        if (wanted.contains("user_count") && !PusherChannels.isPresence(channel)) {
            throw bad("user_count may only be asked for presence channels");
        }
        return operations.channelsOf(app.namespace()).thenCompose(index -> {
            Map<String, Integer> subscriptions = subscriptions(index);
            return attributesOf(app, channel, wanted, subscriptions).thenApply(row -> {
                ObjectNode out = Json.object().put("occupied", subscriptions.containsKey(app.internal(channel)));
                out.setAll(row);
                return HttpResult.json(200, out);
            });
        });
    }

    private CompletableFuture<HttpResult> users(PusherApps.App app, HttpRequestData request) {
        String channel = channelParam(request);
        if (!PusherChannels.isPresence(channel)) {
            throw bad("users may only be listed for presence channels");
        }
        return operations.presence(app.internal(channel)).thenApply(entries -> {
            ArrayNode users = Json.MAPPER.createArrayNode();
            entries.forEach(e -> users.addObject().put("id", e.user()));
            return HttpResult.json(200, Json.object().set("users", users));
        });
    }

    /**
     * Our extension (Pusher has no history): the channel's retained events after {@code since} (an offset), at
     * most {@code limit}, with their offsets and times: how a backend or a client that reconnects catches up.
     */
    private CompletableFuture<HttpResult> history(PusherApps.App app, HttpRequestData request) {
        String channel = channelParam(request);
        Long since = null;
        int limit = 100;
        try {
            if (request.queryParam("since") != null) {
                since = Long.parseLong(request.queryParam("since"));
            }
            if (request.queryParam("limit") != null) {
                limit = Integer.parseInt(request.queryParam("limit"));
            }
        } catch (NumberFormatException e) {
            throw bad("since and limit must be whole numbers");
        }
        return operations.history(app.internal(channel), new dev.switchboard.server.engine.HistoryQuery(since, limit, false))
                .thenApply(page -> {
                    ObjectNode out = Json.object().put("channel", channel).put("offset", page.position().offset())
                            .put("epoch", page.position().epoch()).put("complete", page.complete());
                    ArrayNode events = out.putArray("events");
                    for (var p : page.publications()) {
                        JsonNode frame = Json.parse(new PusherFormat(app, null).publication(p).frame());
                        ((ObjectNode) frame).put("offset", p.offset()).put("ts", p.ts());
                        events.add(frame);
                    }
                    return HttpResult.json(200, out);
                });
    }

    private CompletableFuture<HttpResult> terminate(PusherApps.App app, HttpRequestData request) {
        String user = request.pathParams().get("user");
        if (user == null || user.isEmpty() || user.length() > 200) {
            throw bad("Invalid user id");
        }
        return operations.disconnect(Target.user(app.namespace() + ":" + user), CloseCodes.KICKED,
                "connections terminated by the app").thenApply(v -> HttpResult.json(200, Json.object()));
    }

    private static String channelParam(HttpRequestData request) {
        String channel = request.pathParams().get("channel");
        if (!PusherChannels.valid(channel)) {
            throw bad("Invalid channel name: " + channel);
        }
        return channel;
    }

    private static JsonNode body(HttpRequestData request) {
        try {
            JsonNode body = Json.parse(request.body());
            if (!body.isObject()) {
                throw bad("the body must be a JSON object");
            }
            return body;
        } catch (ProtocolException e) {
            throw e;
        } catch (RuntimeException e) {
            throw bad("the body must be JSON: " + e.getMessage());
        }
    }

    private static ProtocolException bad(String message) {
        return new ProtocolException("bad_request", message);
    }

    private static HttpResult text(int status, String message) {
        return HttpResult.text(status, "text/plain; charset=utf-8", message + "\n");
    }

    private static CompletableFuture<HttpResult> done(HttpResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
