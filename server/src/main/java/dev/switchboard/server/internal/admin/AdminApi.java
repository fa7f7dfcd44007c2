package dev.switchboard.server.internal.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Channels;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.server.engine.NodeInfo;
import dev.switchboard.server.engine.Target;
import dev.switchboard.server.internal.api.JsonBodies;
import dev.switchboard.server.internal.api.Responses;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.delivery.Hub;
import dev.switchboard.server.internal.handlers.ChannelHandlers;
import dev.switchboard.server.internal.transport.HttpRequestData;
import dev.switchboard.server.internal.transport.HttpResult;
import dev.switchboard.server.internal.transport.HttpRoutes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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

    private final Hub hub;
    private final AdminSessions sessions;
    private final String nodeId;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final HttpRoutes.Handler page;

    /**
     * @param page serves {@code static/admin/index.html} (the static files handler)
     */
    public AdminApi(Hub hub, String password, String key, boolean secureCookie, String nodeId, MeterRegistry metrics,
                    Clock clock, HttpRoutes.Handler page) {
        if ((password == null || password.isEmpty()) && (key == null || key.isEmpty())) {
            throw new IllegalArgumentException("the admin UI needs --admin-password or --admin-key");
        }
        if (password != null && !password.isEmpty() && password.length() < 12) {
            throw new IllegalArgumentException("--admin-password must be at least 12 characters");
        }
        this.hub = hub;
        this.sessions = new AdminSessions(emptyToNull(password), emptyToNull(key), secureCookie, clock);
        this.nodeId = nodeId;
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
        ObjectNode out = Json.object().put("node", nodeId).put("time", clock.millis())
                .put("connections", hub.connectionCount()).put("users", hub.userCount())
                .put("channels", hub.channelCount())
                .put("messagesIn", (long) count("switchboard.messages.received"))
                .put("messagesOut", (long) count("switchboard.messages.delivered"))
                .put("publications", (long) count("switchboard.publications"));
        return hub.otherNodes().handle((others, failure) -> {
            ArrayNode nodes = out.putArray("nodes");
            nodes.addObject().put("node", nodeId).put("connections", hub.connectionCount())
                    .put("users", hub.userCount()).put("updatedAt", clock.millis()).put("self", true);
            if (others != null) {
                for (NodeInfo n : others) {
                    if (!n.node().equals(nodeId)) {
                        nodes.addObject().put("node", n.node()).put("connections", n.connections())
                                .put("users", n.users()).put("updatedAt", n.updatedAt());
                    }
                }
            }
            if (failure != null) {
                out.put("partial", true); // the engine is unreachable: this node's row only
            }
            return HttpResult.json(200, out);
        });
    }

    private double count(String counter) {
        Counter c = metrics.find(counter).counter();
        return c == null ? 0 : c.count();
    }

    private CompletableFuture<HttpResult> channels(HttpRequestData request) {
        ObjectNode out = Json.object().put("node", nodeId).put("total", hub.channelCount());
        ArrayNode list = out.putArray("channels");
        for (Map.Entry<String, Integer> e : hub.channelSizes(MAX_CHANNELS)) {
            list.addObject().put("channel", e.getKey()).put("subscribers", e.getValue());
        }
        return done(HttpResult.json(200, out));
    }

    private CompletableFuture<HttpResult> channel(HttpRequestData request) {
        String channel = Channels.validate(request.pathParams().get("channel"));
        CompletableFuture<JsonNode> presence = hub.hasPresence(channel)
                ? hub.presence(channel).thenApply(users -> (JsonNode) ChannelHandlers.presenceReply(channel, users).get("users"))
                : CompletableFuture.completedFuture(null);
        CompletableFuture<ObjectNode> history = hub.history(channel, new HistoryQuery(null, HISTORY_SHOWN, true))
                .thenApply(page -> ChannelHandlers.historyReply(channel, page));
        int local = hub.channelSizes(Integer.MAX_VALUE).stream().filter(e -> e.getKey().equals(channel))
                .mapToInt(Map.Entry::getValue).findFirst().orElse(0);
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
        List<Connection> conns = new ArrayList<>(hub.connectionsOfUser(user));
        conns.sort(java.util.Comparator.comparingLong(Connection::connectedAt));
        for (Connection c : conns) {
            Connection.Traffic t = c.traffic();
            ObjectNode row = list.addObject().put("id", c.id()).put("endpoint", c.endpoint())
                    .put("transport", c.transportName()).put("remote", c.remoteAddress())
                    .put("connectedAt", c.connectedAt()).put("framesIn", t.framesIn()).put("framesOut", t.framesOut())
                    .put("bytesIn", t.bytesIn()).put("bytesOut", t.bytesOut());
            ArrayNode channels = row.putArray("channels");
            c.channels().stream().sorted().forEach(channels::add);
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
        Target target = user != null ? Target.user(user) : Target.connection(connection);
        return Responses.ok(hub.disconnect(target, CloseCodes.KICKED, reason == null ? "disconnected by an admin" : reason),
                v -> Json.object().put("disconnected", user != null ? user : connection));
    }

    private CompletableFuture<HttpResult> publish(HttpRequestData request) {
        ObjectNode body = JsonBodies.object(request);
        String channel = Channels.validate(JsonBodies.text(body, "channel"));
        JsonNode data = body.get("data");
        if (data == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "\"data\" is required");
        }
        return Responses.ok(hub.publish(channel, "admin", data),
                p -> Json.object().put("channel", p.channel()).put("offset", p.offset()).put("epoch", p.epoch()));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static CompletableFuture<HttpResult> done(HttpResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
