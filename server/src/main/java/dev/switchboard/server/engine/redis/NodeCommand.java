package dev.switchboard.server.engine.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.engine.Target;
import java.nio.charset.StandardCharsets;

/**
 * A node-wide command on the shared Pub/Sub channel: "deliver this frame to your connections matching the
 * target" or "disconnect them". Wire form: one JSON header line, a newline, then the frame (UTF-8 JSON text,
 * carried as is so nodes do not re-encode it).
 *
 * @param deliver true for a delivery, false for a disconnect
 * @param frame   the encoded frame for a delivery, null for a disconnect
 */
record NodeCommand(boolean deliver, Target target, byte[] frame, int code, String reason) {

    static NodeCommand delivery(Target target, byte[] frame) {
        return new NodeCommand(true, target, frame, 0, null);
    }

    static NodeCommand disconnect(Target target, int code, String reason) {
        return new NodeCommand(false, target, null, code, reason);
    }

    String encode() {
        ObjectNode h = Json.object();
        h.put("op", deliver ? "d" : "x");
        h.put("k", target.kind().name());
        if (target.id() != null) {
            h.put("i", target.id());
        }
        if (target.endpoint() != null) {
            h.put("e", target.endpoint());
        }
        if (target.exclude() != null) {
            h.put("x", target.exclude());
        }
        if (!deliver) {
            h.put("c", code);
            h.put("r", reason);
        }
        String header = h.toString();
        return deliver ? header + "\n" + new String(frame, StandardCharsets.UTF_8) : header;
    }

    static NodeCommand decode(String text) {
        int nl = text.indexOf('\n');
        JsonNode h = Json.parse((nl < 0 ? text : text.substring(0, nl)).getBytes(StandardCharsets.UTF_8));
        Target target = new Target(Target.Kind.valueOf(h.path("k").asText()), text(h, "i"), text(h, "e"), text(h, "x"));
        if ("d".equals(h.path("op").asText())) {
            return delivery(target, text.substring(nl + 1).getBytes(StandardCharsets.UTF_8));
        }
        return disconnect(target, h.path("c").asInt(), text(h, "r"));
    }

    private static String text(JsonNode h, String field) {
        JsonNode v = h.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
