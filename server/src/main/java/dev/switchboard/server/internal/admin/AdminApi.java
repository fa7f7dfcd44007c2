package dev.switchboard.server.internal.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Channels;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.server.engine.NodeInfo;
import dev.switchboard.server.internal.api.JsonBodies;
import dev.switchboard.server.internal.api.Responses;
import dev.switchboard.protocol.Replies;
import dev.switchboard.server.app.ConnectionView;
import dev.switchboard.server.internal.operations.Operations;
import dev.switchboard.server.internal.transport.HttpRequestData;
import dev.switchboard.server.internal.transport.HttpResult;
import dev.switchboard.server.internal.transport.HttpRoutes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The admin API behind the {@code /admin} page (and for scripts, with the admin key): the node's and the
 * cluster's totals, channels with their subscribers, a channel's presence and latest history, a user's
 * connections, and two actions: disconnect a user or a connection, publish a test message. Reads answer what
 * this node sees (the cluster rows come from the engine's node directory); actions go through the hub, so
 * they reach every node.
 */
public final class AdminApi {

    /** Where the page lives; everything else is under {@code /admin/api/}. */
    public static final String PAGE = "/admin/";
    private static final int MAX_CHANNELS = 500;
    private static final int HISTORY_SHOWN = 20;

    private final Operations operations;
    private final AdminSessions sessions;
    private final String nodeId;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final HttpRoutes.Handler page;

    /**
     * @param page serves {@code static/admin/index.html} (the static files handler)
     */
    public AdminApi(Operations operations, String password, String key, boolean secureCookie, MeterRegistry metrics,
                    Clock clock, HttpRoutes.Handler page) {
        if ((password == null || password.isEmpty()) && (key == null || key.isEmpty())) {
            throw new IllegalArgumentException("the admin UI needs --admin-password or --admin-key");
        }
        if (password != null && !password.isEmpty() && password.length() < 12) {
            throw new IllegalArgumentException("--admin-password must be at least 12 characters");
        }
        this.operations = operations;
        this.sessions = new AdminSessions(emptyToNull(password), emptyToNull(key), secureCookie, clock);
        this.nodeId = operations.nodeId();
        this.metrics = metrics;
        this.clock = clock;
        this.page = page;
    }

    /** Answers {@code /admin} with 404 (the UI is off) on a node that has no admin password or key. */
    public static void installDisabled(HttpRoutes routes) {
        HttpRoutes.Handler off = r -> done(HttpResult.error(404, "not_found",
                "the admin UI is off: start the gateway with --admin-password or --admin-key"));
        routes.add("GET", "/admin", off);
        routes.add("GET", PAGE, off);
    }

    public void install(HttpRoutes routes) {
        routes.add("GET", "/admin", r -> done(new HttpResult(302, "text/plain", new byte[0], Map.of("Location", PAGE))));
        routes.add("GET", PAGE, r -> page.handle(new HttpRequestData(r.method(), PAGE + "index.html", r.query(),
                r.pathParams(), r.headers(), r.body())).thenApply(res -> res.withHeader("Cache-Control", "no-store")
                .withHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")));
        routes.add("GET", "/admin/api/session", this::session);
        routes.add("POST", "/admin/api/login", this::login);
        routes.add("POST", "/admin/api/logout", r -> {
            sessions.logout(r);
            return done(HttpResult.json(200, Json.object()).withHeader("Set-Cookie", sessions.clearCookie()));
        });
        routes.add("GET", "/admin/api/overview", read(this::overview));
        routes.add("GET", "/admin/api/channels", read(this::channels));
        routes.add("GET", "/admin/api/namespaces", read(this::namespaces));
        routes.add("GET", "/admin/api/channels/{channel}", read(this::channel));
        routes.add("GET", "/admin/api/users/{user}", read(this::user));
        routes.add("POST", "/admin/api/disconnect", change(this::disconnect));
        routes.add("POST", "/admin/api/publish", change(this::publish));
    }

    private HttpRoutes.Handler read(HttpRoutes.Handler handler) {
        return guarded(handler, false);
    }

    private HttpRoutes.Handler change(HttpRoutes.Handler handler) {
        return guarded(handler, true);
    }

    private HttpRoutes.Handler guarded(HttpRoutes.Handler handler, boolean change) {
        return request -> {
            AdminSessions.Access access = sessions.check(request, change);
            if (!access.allowed()) {
                return done(HttpResult.error(access.status(), access.status() == 401 ? "unauthorized" : "forbidden",
                        access.message()));
            }
            try {
                return handler.handle(request).thenApply(r -> r.withHeader("Cache-Control", "no-store"));
            } catch (ProtocolException e) {
                return done(Responses.failure(e));
            }
        };
    }

    private CompletableFuture<HttpResult> session(HttpRequestData request) {
        AdminSessions.Session s = sessions.session(request);
        ObjectNode out = Json.object().put("loggedIn", s != null).put("passwordLogin", sessions.passwordLogin())
                .put("node", nodeId);
        if (s != null) {
            out.put("csrf", s.csrf());
        }
        return done(HttpResult.json(200, out).withHeader("Cache-Control", "no-store"));
    }

    private CompletableFuture<HttpResult> login(HttpRequestData request) {
        String password;
        try {
            password = JsonBodies.optionalText(JsonBodies.object(request), "password");
        } catch (ProtocolException e) {
            return done(Responses.failure(e));
        }
        String[] session = sessions.login(password);
        if (session == null) {
            return done(HttpResult.error(401, "unauthorized", "wrong password"));
        }
        return done(HttpResult.json(200, Json.object().put("csrf", session[1]))
                .withHeader("Set-Cookie", sessions.setCookie(session[0])).withHeader("Cache-Control", "no-store"));
    }

    private CompletableFuture<HttpResult> overview(HttpRequestData request) {
        Operations.NodeTotals here = operations.totals();
        ObjectNode out = Json.object().put("node", nodeId).put("time", clock.millis())
                .put("connections", here.connections()).put("users", here.users())
                .put("channels", here.channels())
                .put("messagesIn", (long) count("switchboard.messages.received"))
                .put("messagesOut", (long) count("switchboard.messages.delivered"))
                .put("publications", (long) count("switchboard.publications"));
        return operations.cluster().thenApply(cluster -> {
            ArrayNode nodes = out.putArray("nodes");
            for (NodeInfo n : cluster.nodes()) {
                ObjectNode row = nodes.addObject().put("node", n.node()).put("connections", n.connections())
                        .put("users", n.users()).put("updatedAt", n.updatedAt());
                if (n.node().equals(nodeId)) {
                    row.put("self", true);
                }
            }
            if (cluster.partial()) {
                out.put("partial", true); // the engine is unreachable: this node's row only
            }
            return HttpResult.json(200, out);
        });
    }

    private double count(String counter) {
        Counter c = metrics.find(counter).counter();
        return c == null ? 0 : c.count();
    }

    /** {@code ?namespace=NS} lists one namespace's channels (a Pusher app's is {@code pusher.ID}). */
    private CompletableFuture<HttpResult> channels(HttpRequestData request) {
        String namespace = request.queryParam("namespace");
        ObjectNode out = Json.object().put("node", nodeId).put("total", operations.totals().channels());
        ArrayNode list = out.putArray("channels");
        for (Map.Entry<String, Integer> e : namespace == null || namespace.isEmpty() ? operations.channels(MAX_CHANNELS)
                : operations.channels(MAX_CHANNELS, namespace)) {
            list.addObject().put("channel", e.getKey()).put("subscribers", e.getValue());
        }
        return done(HttpResult.json(200, out));
    }

    /** This node's channels by namespace: each Pusher app is one ({@code pusher.ID}). */
    private CompletableFuture<HttpResult> namespaces(HttpRequestData request) {
        ObjectNode out = Json.object().put("node", nodeId);
        ArrayNode list = out.putArray("namespaces");
        for (Operations.NamespaceSize ns : operations.namespaces()) {
            list.addObject().put("namespace", ns.namespace()).put("channels", ns.channels())
                    .put("subscribers", ns.subscribers());
        }
        return done(HttpResult.json(200, out));
    }

    private CompletableFuture<HttpResult> channel(HttpRequestData request) {
        String channel = Channels.validate(request.pathParams().get("channel"));
        CompletableFuture<JsonNode> presence = operations.hasPresence(channel)
                ? operations.presence(channel).thenApply(users -> (JsonNode) Replies.presence(channel, users).get("users"))
                : CompletableFuture.completedFuture(null);
        CompletableFuture<ObjectNode> history = operations.history(channel, new HistoryQuery(null, HISTORY_SHOWN, true))
                .thenApply(page -> Replies.history(channel, page));
        int local = operations.subscribersHere(channel);
        return Responses.ok(presence.thenCombine(history, (p, h) -> {
            ObjectNode out = Json.object().put("channel", channel).put("subscribers", local);
            out.set("presence", p);
            out.set("history", h);
            return out;
        }), out -> out);
    }

    private CompletableFuture<HttpResult> user(HttpRequestData request) {
        String user = request.pathParams().get("user");
        ObjectNode out = Json.object().put("user", user).put("node", nodeId);
        ArrayNode list = out.putArray("connections");
        for (ConnectionView c : operations.connectionsOf(user)) {
            ObjectNode row = list.addObject().put("id", c.id()).put("endpoint", c.endpoint())
                    .put("transport", c.transport()).put("remote", c.remote())
                    .put("connectedAt", c.connectedAt()).put("framesIn", c.framesIn()).put("framesOut", c.framesOut())
                    .put("bytesIn", c.bytesIn()).put("bytesOut", c.bytesOut());
            ArrayNode channels = row.putArray("channels");
            c.channels().forEach(channels::add);
        }
        return done(HttpResult.json(200, out));
    }

    private CompletableFuture<HttpResult> disconnect(HttpRequestData request) {
        ObjectNode body = JsonBodies.object(request);
        String user = JsonBodies.optionalText(body, "user");
        String connection = JsonBodies.optionalText(body, "connection");
        if ((user == null) == (connection == null)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "give exactly one of \"user\" or \"connection\"");
        }
        String reason = JsonBodies.optionalText(body, "reason");
        if (reason == null) {
            reason = "disconnected by an admin";
        }
        return Responses.ok(user != null ? operations.disconnectUser(user, reason)
                        : operations.disconnectConnection(connection, reason),
                v -> Json.object().put("disconnected", user != null ? user : connection));
    }

    private CompletableFuture<HttpResult> publish(HttpRequestData request) {
        ObjectNode body = JsonBodies.object(request);
        String channel = JsonBodies.text(body, "channel");
        JsonNode data = body.get("data");
        if (data == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "\"data\" is required");
        }
        return Responses.ok(operations.publish(channel, "admin", data, null),
                p -> Json.object().put("channel", p.channel()).put("offset", p.offset()).put("epoch", p.epoch()));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static CompletableFuture<HttpResult> done(HttpResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
