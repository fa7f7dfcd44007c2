package dev.switchboard.server.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.internal.auth.TicketIssuer;
import dev.switchboard.server.internal.transport.HttpRequestData;
import dev.switchboard.server.internal.transport.HttpResult;
import dev.switchboard.server.internal.transport.HttpRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /auth/token?user=alice} and {@code POST /auth/token}: the development ticket issuer. Open in dev
 * mode; otherwise it exists only when a token API key is configured, and requires it.
 */
public final class TokenEndpoint {

    /** Longest accepted user id. */
    static final int MAX_USER_LENGTH = 128;

    private final TicketIssuer issuer;
    private final ApiKeys keys; // null: open (dev mode)

    public TokenEndpoint(TicketIssuer issuer, ApiKeys keys) {
        this.issuer = issuer;
        this.keys = keys;
    }

    public void install(HttpRoutes routes) {
        routes.add("GET", "/auth/token", this::get);
        routes.add("POST", "/auth/token", this::post);
    }

    private CompletableFuture<HttpResult> get(HttpRequestData request) {
        return answer(request, () -> issue(request.queryParam("user"), null, null, null));
    }

    private CompletableFuture<HttpResult> post(HttpRequestData request) {
        return answer(request, () -> {
            ObjectNode body = JsonBodies.object(request);
            JsonNode channels = body.path("channels");
            JsonNode broadcast = body.get("broadcast");
            return issue(JsonBodies.text(body, "user"), strings(channels.get("subscribe")),
                    strings(channels.get("publish")), broadcast == null ? null : broadcast.asBoolean());
        });
    }

    private CompletableFuture<HttpResult> answer(HttpRequestData request, java.util.function.Supplier<HttpResult> issue) {
        if (keys != null && !keys.allows(request)) {
            return CompletableFuture.completedFuture(HttpResult.error(401, ErrorCode.UNAUTHORIZED.code(),
                    "send Authorization: Bearer <token api key>"));
        }
        try {
            return CompletableFuture.completedFuture(issue.get().withHeader("Cache-Control", "no-store"));
        } catch (ProtocolException e) {
            return CompletableFuture.completedFuture(Responses.failure(e));
        }
    }

    private HttpResult issue(String user, List<String> subscribe, List<String> publish, Boolean broadcast) {
        if (user == null || user.isBlank() || user.length() > MAX_USER_LENGTH
                || user.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST,
                    "user must be 1-" + MAX_USER_LENGTH + " characters without whitespace");
        }
        ObjectNode out = Json.object();
        out.put("token", issuer.issue(user, subscribe, publish, broadcast));
        out.put("expiresIn", issuer.lifetime().toSeconds());
        out.put("user", user);
        return HttpResult.json(200, out);
    }

    private static List<String> strings(JsonNode node) {
        if (node == null || !node.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }
}
