package dev.switchboard.server.internal.hooks.http;

import dev.switchboard.server.internal.outbound.CallFailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.server.app.ChannelGrants;
import dev.switchboard.server.app.ConnectResult;
import dev.switchboard.server.app.RefreshResult;
import dev.switchboard.server.app.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a backend's JSON answer into a decision, strictly: a field of the wrong type is a
 * {@link CallFailure.Kind#BAD_ANSWER}, never a guess. The shapes are in docs/hooks.md.
 */
final class HookAnswers {

    private HookAnswers() {
    }

    static ConnectResult connect(ObjectNode a) {
        if (a.has("error")) {
            return refusal(a.get("error"), ConnectResult.Refused::new);
        }
        if (a.has("disconnect")) {
            Verdict.Disconnected d = disconnect(a.get("disconnect"));
            return new ConnectResult.Disconnected(d.code(), d.reason());
        }
        JsonNode user = a.get("user");
        if (user == null || user.isNull()) {
            return ConnectResult.UNDECIDED;
        }
        if (!user.isTextual() || user.asText().isBlank()) {
            throw bad("user must be a non-empty string");
        }
        return new ConnectResult.Accepted(user.asText(), optionalMillis(a, "expiresAt"), grants(a.get("channels")),
                dataOf(a));
    }

    static RefreshResult refresh(ObjectNode a) {
        if (a.path("expired").asBoolean(false)) {
            JsonNode reason = a.get("reason");
            return new RefreshResult.Expired(reason != null && reason.isTextual() ? reason.asText() : null);
        }
        Long expiresAt = optionalMillis(a, "expiresAt");
        return expiresAt == null ? RefreshResult.UNDECIDED : new RefreshResult.Extended(expiresAt, grants(a.get("channels")));
    }

    static Verdict verdict(ObjectNode a) {
        if (a.has("error")) {
            return refusal(a.get("error"), Verdict.Denied::new);
        }
        if (a.has("disconnect")) {
            return disconnect(a.get("disconnect"));
        }
        return a.has("data") ? new Verdict.Allowed(a.get("data")) : Verdict.ALLOW;
    }

    private static JsonNode dataOf(ObjectNode a) {
        JsonNode data = a.get("data");
        return data == null || data.isNull() ? null : data;
    }

    interface Refusal<T> {
        T of(String code, String message);
    }

    /** {@code {"code": "forbidden", "message": "…"}}. */
    static <T> T refusal(JsonNode error, Refusal<T> make) {
        if (error == null || !error.isObject() || !error.path("code").isTextual() || error.path("code").asText().isEmpty()) {
            throw bad("error must be {\"code\": \"…\", \"message\": \"…\"}");
        }
        return make.of(error.get("code").asText(), error.path("message").asText(error.get("code").asText()));
    }

    /** {@code {"code": 4403, "reason": "…"}} with an application close code. */
    private static Verdict.Disconnected disconnect(JsonNode d) {
        if (d == null || !d.isObject() || !d.path("code").canConvertToInt() || !d.path("code").isIntegralNumber()) {
            throw bad("disconnect must be {\"code\": 4000-4999, \"reason\": \"…\"}");
        }
        int code = d.get("code").asInt();
        if (code < 4000 || code > 4999) {
            throw bad("disconnect code must be 4000-4999, was " + code);
        }
        return new Verdict.Disconnected(code, d.path("reason").asText(""));
    }

    private static Long optionalMillis(ObjectNode a, String field) {
        JsonNode n = a.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() <= 0) {
            throw bad(field + " must be a positive integer (ms since the epoch)");
        }
        return n.asLong();
    }

    private static ChannelGrants grants(JsonNode channels) {
        if (channels == null || channels.isNull()) {
            return null;
        }
        if (!channels.isObject()) {
            throw bad("channels must be {\"subscribe\": [..], \"publish\": [..]}");
        }
        JsonNode broadcast = channels.get("broadcast");
        if (broadcast != null && !broadcast.isBoolean()) {
            throw bad("channels.broadcast must be a boolean");
        }
        return new ChannelGrants(globs(channels, "subscribe"), globs(channels, "publish"),
                broadcast != null && broadcast.asBoolean());
    }

    private static List<String> globs(JsonNode channels, String field) {
        JsonNode list = channels.get(field);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw bad("channels." + field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode g : list) {
            if (!g.isTextual()) {
                throw bad("channels." + field + " must be an array of strings");
            }
            out.add(g.asText());
        }
        return out;
    }

    static CallFailure bad(String why) {
        return new CallFailure(CallFailure.Kind.BAD_ANSWER, "hook answer: " + why);
    }
}
