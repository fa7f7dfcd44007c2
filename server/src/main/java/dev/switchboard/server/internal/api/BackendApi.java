package dev.switchboard.server.internal.api;

import dev.switchboard.server.engine.BatchEntry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.Replies;
import dev.switchboard.server.app.ConnectionView;
import dev.switchboard.server.internal.operations.Operations;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.server.engine.Target;
import dev.switchboard.server.internal.transport.HttpRequestData;
import dev.switchboard.server.internal.transport.HttpResult;
import dev.switchboard.server.internal.transport.HttpRoutes;
import dev.switchboard.protocol.Publication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP API for backends that push without holding a socket. Every route needs
 * {@code Authorization: Bearer <api key>}; bodies are JSON; errors are {@code {"error":{code,message}}}.
 */
public final class BackendApi {

    private final Operations operations;
    private final ApiKeys keys;
    private final int maxBatch;

    /** @param maxBatch the most publications one {@code /api/publish/batch} request may carry */
    public BackendApi(Operations operations, ApiKeys keys, int maxBatch) {
        this.operations = operations;
        this.keys = keys;
        this.maxBatch = maxBatch;
    }

    /** Adds the API's routes to {@code routes}. */
    public void install(HttpRoutes routes) {
        routes.add("POST", "/api/publish", guarded(this::publish));
        routes.add("POST", "/api/publish/batch", guarded(this::publishBatch));
        routes.add("POST", "/api/send", guarded(this::send));
        routes.add("POST", "/api/broadcast", guarded(this::broadcast));
        routes.add("GET", "/api/channels/{channel}/presence", guarded(this::presence));
        routes.add("GET", "/api/channels/{channel}/history", guarded(this::history));
        routes.add("GET", "/api/connections", guarded(this::connections));
        routes.add("POST", "/api/disconnect", guarded(this::disconnect));
    }

    private HttpRoutes.Handler guarded(HttpRoutes.Handler handler) {
        return request -> {
            if (!keys.allows(request)) {
                return CompletableFuture.completedFuture(HttpResult.error(401, ErrorCode.UNAUTHORIZED.code(),
                        "send Authorization: Bearer <api key>")
                        .withHeader("WWW-Authenticate", "Bearer"));
            }
            try {
                return handler.handle(request);
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(Responses.failure(e));
            }
        };
    }

    private CompletableFuture<HttpResult> publish(HttpRequestData request) {
        Item item = Item.of(JsonBodies.object(request));
        if (item.error() != null) {
            throw item.error();
        }
        return Responses.ok(operations.publish(item.channel(), item.entry().from(), item.entry().data(),
                item.entry().idempotencyKey()), Replies::publish);
    }

    /**
     * Many publications in one request: {@code {"publications": [{channel, data, from?, idempotencyKey?}, …]}}.
     * Each is published as {@code /api/publish} would; the items of one channel go to the engine as
     * one batch (one Redis script call, one memory-engine lock) in the order given, so each channel keeps the
     * request's order. The answer lists each one's result or {@code error} in the request's order, so one
     * refused item does not stop the others.
     */
    private CompletableFuture<HttpResult> publishBatch(HttpRequestData request) {
        ObjectNode body = JsonBodies.object(request);
        JsonNode items = body.get("publications");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "publications must be a non-empty array");
        }
        if (items.size() > maxBatch) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "at most " + maxBatch + " publications per batch (--max-publish-batch)");
        }
        List<Item> parsed = new ArrayList<>(items.size());
        items.forEach(item -> parsed.add(Item.of(item)));
        // One engine batch per channel, in the order given (channels are independent streams).
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        List<CompletableFuture<Publication>> published = new ArrayList<>(java.util.Collections.nCopies(parsed.size(), null));
        for (int i = 0; i < parsed.size(); i++) {
            Item item = parsed.get(i);
            if (item.error() != null) {
                published.set(i, CompletableFuture.failedFuture(item.error()));
            } else {
                groups.computeIfAbsent(item.channel(), k -> new ArrayList<>()).add(i);
            }
        }
        groups.forEach((channel, indexes) -> {
            List<BatchEntry> entries = indexes.stream().map(i -> parsed.get(i).entry()).toList();
            CompletableFuture<List<Publication>> stored = operations.publishBatch(channel, entries);
            for (int k = 0; k < indexes.size(); k++) {
                int index = k;
                published.set(indexes.get(k), stored.thenApply(ps -> ps.get(index)));
            }
        });
        List<CompletableFuture<JsonNode>> results = new ArrayList<>(items.size());
        for (CompletableFuture<Publication> p : published) {
            results.add(p.handle((pub, e) -> e == null
                    ? JsonNodeFactory.instance.pojoNode(Replies.publish(pub))
                    : Json.object().set("error", Responses.errorBody(e))));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> {
            ObjectNode answer = Json.object();
            ArrayNode list = answer.putArray("results");
            results.forEach(r -> list.add(r.join()));
            return HttpResult.json(200, answer);
        });
    }

    /**
     * A publication as {@code /api/publish} and each batch item give it ({@code {channel, data, from?,
     * idempotencyKey?}}), or why it cannot be one. A backend that retries a publish it is unsure about sends the
     * same key: it is published once.
     */
    private record Item(String channel, BatchEntry entry, RuntimeException error) {
        static Item of(JsonNode item) {
            try {
                if (!(item instanceof ObjectNode o)) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, "each publication is an object");
                }
                return new Item(JsonBodies.text(o, "channel"), new BatchEntry(JsonBodies.optionalText(o, "from"),
                        JsonBodies.field(o, "data"), JsonBodies.optionalText(o, "idempotencyKey")), null);
            } catch (RuntimeException e) {
                return new Item(null, null, e);
            }
        }

    }

    /**
     * Sends to a user ({@code {"user","data"}}, or the tutorial shape {@code {"username","content"}}), one
     * session ({@code {"session","data"}}) or one connection ({@code {"connection","data"}}).
     */
    private CompletableFuture<HttpResult> send(HttpRequestData request) {
        ObjectNode body = JsonBodies.object(request);
        JsonNode data = JsonBodies.field(body, "data", "content");
        String from = JsonBodies.optionalText(body, "from");
        String session = JsonBodies.optionalText(body, "session");
        String connection = JsonBodies.optionalText(body, "connection");
        Target target = connection != null ? Target.connection(connection)
                : session != null ? Target.session(session)
                : Target.user(JsonBodies.text(body, "user", "username"));
        return Responses.ok(operations.send(target, from, data), v -> Json.object());
    }

    private CompletableFuture<HttpResult> broadcast(HttpRequestData request) {
        ObjectNode body = JsonBodies.object(request);
        JsonNode data = JsonBodies.field(body, "data");
        return Responses.ok(operations.broadcast(JsonBodies.optionalText(body, "endpoint"),
                null, JsonBodies.optionalText(body, "from"), data), v -> Json.object());
    }

    private CompletableFuture<HttpResult> presence(HttpRequestData request) {
        String channel = request.pathParams().get("channel");
        return Responses.ok(operations.presence(channel), users -> Replies.presence(channel, users));
    }

    /** {@code ?since=&limit=&reverse=}: the same answer as the WebSocket {@code history} type. */
    private CompletableFuture<HttpResult> history(HttpRequestData request) {
        String channel = request.pathParams().get("channel");
        Long since = queryLong(request, "since");
        Long limit = queryLong(request, "limit");
        HistoryQuery query = new HistoryQuery(since,
                limit == null ? Operations.MAX_HISTORY_LIMIT : (int) Math.max(0, Math.min(Operations.MAX_HISTORY_LIMIT, limit)),
                "true".equals(request.queryParam("reverse")));
        return Responses.ok(operations.history(channel, query), page -> Replies.history(channel, page));
    }

    private static Long queryLong(HttpRequestData request, String name) {
        String v = request.queryParam(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, name + " must be an integer");
        }
    }

    /**
     * One user's connections on this node, or this node's counts (the total and per user) with every node's
     * totals ({@code cluster}: this node live, the others as last reported; {@code partial} when the engine
     * could not be asked).
     */
    private CompletableFuture<HttpResult> connections(HttpRequestData request) {
        String user = request.queryParam("user");
        ObjectNode out = Json.object();
        if (user != null) {
            out.put("user", user);
            ArrayNode list = out.putArray("connections");
            for (ConnectionView c : operations.connectionsOf(user)) {
                list.addObject().put("id", c.id()).put("session", c.session()).put("endpoint", c.endpoint())
                        .put("connectedAt", c.connectedAt());
            }
            out.put("count", list.size());
            return CompletableFuture.completedFuture(HttpResult.json(200, out));
        }
        out.put("count", operations.totals().connections());
        ObjectNode users = out.putObject("users");
        operations.connectionsPerUser().forEach(users::put);
        return operations.cluster().thenApply(cluster -> {
            ObjectNode view = out.putObject("cluster");
            view.put("count", cluster.connections());
            if (cluster.partial()) {
                view.put("partial", true);
            }
            ArrayNode nodes = view.putArray("nodes");
            cluster.nodes().forEach(n -> nodes.addObject().put("node", n.node()).put("connections", n.connections())
                    .put("users", n.users()).put("updatedAt", n.updatedAt()));
            return HttpResult.json(200, out);
        });
    }

    private CompletableFuture<HttpResult> disconnect(HttpRequestData request) {
        ObjectNode body = JsonBodies.object(request);
        String reason = JsonBodies.optionalText(body, "reason");
        String user = JsonBodies.optionalText(body, "user");
        String connection = JsonBodies.optionalText(body, "connection");
        if ((user == null) == (connection == null)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "give exactly one of \"user\" or \"connection\"");
        }
        return Responses.ok(user != null ? operations.disconnectUser(user, reason)
                : operations.disconnectConnection(connection, reason), v -> Json.object());
    }
}
