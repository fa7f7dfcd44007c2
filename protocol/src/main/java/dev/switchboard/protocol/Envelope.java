package dev.switchboard.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * One client-to-server message: {@code {"id":"c1","type":"publish","data":{...}}}.
 *
 * @param id   correlation id chosen by the client; {@code null} means "no answer wanted"
 * @param type routing key, looked up in the endpoint's handler registry
 * @param data payload; never {@code null} ({@link NullNode} when absent) so handlers need no null checks
 * @param traceparent an optional W3C trace context ({@code "traceparent":"00-…"}), so a client's trace continues
 *                    through the gateway; {@code null} when absent
 * @param resumable   the request asks for a resumable reply ({@code "resumable":true}): its answer is written to a
 *                    stream that survives the connection, and can be resumed from any node
 */
public record Envelope(String id, String type, JsonNode data, String traceparent, boolean resumable) {

    public Envelope(String id, String type, JsonNode data) {
        this(id, type, data, null, false);
    }

    public Envelope(String id, String type, JsonNode data, String traceparent) {
        this(id, type, data, traceparent, false);
    }

    public Envelope {
        if (type == null || type.isEmpty()) {
            throw new IllegalArgumentException("type is required");
        }
        if (data == null) {
            data = NullNode.getInstance();
        }
    }

    /** Whether the client asked for a reply (it gave an {@code id}). */
    public boolean wantsReply() {
        return id != null;
    }

    /** A required text field of {@code data}; throws a {@code bad_request} error naming it when missing. */
    public String requireText(String field) {
        JsonNode node = data.get(field);
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "data." + field + " must be a non-empty string");
        }
        return node.asText();
    }

    /** An optional text field of {@code data}, or {@code null}. */
    public String optionalText(String field) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "data." + field + " must be a string");
        }
        return node.asText();
    }

    /** A required field of {@code data} of any JSON kind (the user payload of publish/send/broadcast). */
    public JsonNode requireField(String field) {
        JsonNode node = data.get(field);
        if (node == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "data." + field + " is required");
        }
        return node;
    }
}
