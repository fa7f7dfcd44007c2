package dev.switchboard.server.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.delivery.Hub;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.server.engine.NodeInfo;
import dev.switchboard.server.engine.Target;
import dev.switchboard.server.internal.handlers.ChannelHandlers;
import dev.switchboard.protocol.Channels;
import dev.switchboard.server.internal.transport.HttpRequestData;
import dev.switchboard.server.internal.transport.HttpResult;
import dev.switchboard.server.internal.transport.HttpRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP API for backends that push without holding a socket. Every route needs
 * {@code Authorization: Bearer <api key>}; bodies are JSON; errors are {@code {"error":{code,message}}}.
 */
public final class BackendApi {

    private final Hub hub;
    private final ApiKeys keys;
    private final String nodeId;

    public BackendApi(Hub hub, ApiKeys keys, String nodeId) {
        this.hub = hub;
        this.keys = keys;
        this.nodeId = nodeId;
    }

    /** Adds the API's routes to {@code routes}. */
    public void install(HttpRoutes routes) {
        routes.add("POST", "/api/publish", guarded(this::publish));
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
        ObjectNode body = JsonBodies.object(request);
        String channel = Channels.validate(JsonBodies.text(body, "channel"));
        JsonNode data = JsonBodies.field(body, "data");
        // A backend that retries a publish it is unsure about sends the same key: it is published once.
        String idempotencyKey = JsonBodies.optionalText(body, "idempotencyKey");
        return Responses.ok(hub.publish(channel, JsonBodies.optionalText(body, "from"), data, idempotencyKey),
                ChannelHandlers::publishReply);
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
        return Responses.ok(hub.sendTo(target, from, data), v -> Json.object());
    }

    private CompletableFuture<HttpResult> broadcast(HttpRequestData request) {
        ObjectNode body = JsonBodies.object(request);
        JsonNode data = JsonBodies.field(body, "data");
        return Responses.ok(hub.broadcast(JsonBodies.optionalText(body, "endpoint"),
                null, JsonBodies.optionalText(body, "from"), data), v -> Json.object());
    }

    private CompletableFuture<HttpResult> presence(HttpRequestData request) {
        String channel = Channels.validate(request.pathParams().get("channel"));
        if (!hub.hasPresence(channel)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "presence is not enabled for " + channel);
        }
        return Responses.ok(hub.presence(channel), users -> ChannelHandlers.presenceReply(channel, users));
    }

    /** {@code ?since=&limit=&reverse=}: the same answer as the WebSocket {@code history} type. */
    private CompletableFuture<HttpResult> history(HttpRequestData request) {
        String channel = Channels.validate(request.pathParams().get("channel"));
        Long since = queryLong(request, "since");
        Long limit = queryLong(request, "limit");
        int max = ChannelHandlers.MAX_HISTORY_LIMIT;
        HistoryQuery query = new HistoryQuery(since, limit == null ? max : (int) Math.max(0, Math.min(max, limit)),
                "true".equals(request.queryParam("reverse")));
        return Responses.ok(hub.history(channel, query), page -> ChannelHandlers.historyReply(channel, page));
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
     * Every node's counts: this node's live ones, the others' as they last reported them (Redis engine; every
     * presence heartbeat). If the engine cannot answer, this node alone, marked {@code partial}.
     */
    private CompletableFuture<ObjectNode> clusterView() {
        return hub.otherNodes().handle((others, error) -> {
            NodeInfo self = new NodeInfo(nodeId, hub.connectionCount(), hub.userCount(), System.currentTimeMillis());
            List<NodeInfo> all = new ArrayList<>();
            all.add(self);
            if (others != null) {
                others.stream().filter(n -> !n.node().equals(self.node())).forEach(all::add);
            }
            ObjectNode cluster = Json.object();
            cluster.put("count", all.stream().mapToLong(NodeInfo::connections).sum());
            if (error != null) {
                cluster.put("partial", true);
            }
            ArrayNode nodes = cluster.putArray("nodes");
            all.forEach(n -> nodes.addObject().put("node", n.node()).put("connections", n.connections())
                    .put("users", n.users()).put("updatedAt", n.updatedAt()));
            return cluster;
        });
    }

    /** Counts on this node (the total and per user, plus every node's totals), or one user's connections here. */
    private CompletableFuture<HttpResult> connections(HttpRequestData request) {
        String user = request.queryParam("user");
        ObjectNode out = Json.object();
        if (user != null) {
            out.put("user", user);
            ArrayNode list = out.putArray("connections");
            for (Connection c : hub.connectionsOfUser(user)) {
                list.addObject().put("id", c.id()).put("session", c.sessionId()).put("endpoint", c.endpoint())
                        .put("connectedAt", c.connectedAt());
            }
            out.put("count", list.size());
        } else {
            Map<String, Integer> byUser = new TreeMap<>();
            for (Connection c : hub.connections()) {
                if (c.user() != null) {
                    byUser.merge(c.user(), 1, Integer::sum);
                }
            }
            out.put("count", hub.connectionCount());
            ObjectNode users = out.putObject("users");
            byUser.forEach(users::put);
            return clusterView().thenApply(cluster -> {
                out.set("cluster", cluster);
                return HttpResult.json(200, out);
            });
        }
        return CompletableFuture.completedFuture(HttpResult.json(200, out));
    }

    private CompletableFuture<HttpResult> disconnect(HttpRequestData request) {
        ObjectNode body = JsonBodies.object(request);
        String reason = JsonBodies.optionalText(body, "reason");
        String user = JsonBodies.optionalText(body, "user");
        String connection = JsonBodies.optionalText(body, "connection");
        if ((user == null) == (connection == null)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "give exactly one of \"user\" or \"connection\"");
        }
        Target target = user != null ? Target.user(user) : Target.connection(connection);
        return Responses.ok(hub.disconnect(target, CloseCodes.KICKED, reason == null ? "disconnected" : reason),
                v -> Json.object());
    }
}
