package dev.switchboard.server.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.internal.transport.HttpRequestData;

/** Reading JSON request bodies with the protocol's error codes (turned into 400 by {@link Responses}). */
public final class JsonBodies {

    private JsonBodies() {
    }

    public static ObjectNode object(HttpRequestData request) {
        if (request.body().length == 0) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "a JSON object body is required");
        }
        JsonNode node = Json.parse(request.body());
        if (!(node instanceof ObjectNode object)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "the body must be a JSON object");
        }
        return object;
    }

    /** The first of {@code names} present as a non-empty string. */
    public static String text(ObjectNode body, String... names) {
        for (String name : names) {
            JsonNode n = body.get(name);
            if (n != null && n.isTextual() && !n.asText().isEmpty()) {
                return n.asText();
            }
        }
        throw new ProtocolException(ErrorCode.BAD_REQUEST, "\"" + names[0] + "\" (a non-empty string) is required");
    }

    public static String optionalText(ObjectNode body, String name) {
        JsonNode n = body.get(name);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    /** The first of {@code names} present, of any JSON kind. */
    public static JsonNode field(ObjectNode body, String... names) {
        for (String name : names) {
            JsonNode n = body.get(name);
            if (n != null) {
                return n;
            }
        }
        throw new ProtocolException(ErrorCode.BAD_REQUEST, "\"" + names[0] + "\" is required");
    }
}
