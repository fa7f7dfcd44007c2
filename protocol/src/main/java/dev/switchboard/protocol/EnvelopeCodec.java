package dev.switchboard.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Turns a text frame's bytes into an {@link Envelope}, or says precisely why it cannot. */
public final class EnvelopeCodec {

    /** Longest accepted {@code id} and {@code type}: they are echoed back and used as map keys. */
    public static final int MAX_ID_LENGTH = 128;

    private EnvelopeCodec() {
    }

    /**
     * Decodes one client frame.
     *
     * @throws ProtocolException {@code bad_json} or {@code bad_envelope}; when the id could be read it is
     *                           attached so the error can still be correlated ({@link EnvelopeException})
     */
    public static Envelope decode(byte[] utf8) {
        JsonNode root = Json.parse(utf8);
        if (!(root instanceof ObjectNode object)) {
            throw new ProtocolException(ErrorCode.BAD_ENVELOPE, "a frame must be a JSON object {id?, type, data?}");
        }
        JsonNode idNode = object.get("id");
        String id = null;
        if (idNode != null && !idNode.isNull()) {
            if (idNode.isTextual()) {
                id = idNode.asText();
            } else if (idNode.isIntegralNumber()) {
                id = idNode.asText(); // tolerated: many hand-written clients use a counter
            } else {
                throw new ProtocolException(ErrorCode.BAD_ENVELOPE, "id must be a string");
            }
            if (id.length() > MAX_ID_LENGTH) {
                throw new ProtocolException(ErrorCode.BAD_ENVELOPE, "id is longer than " + MAX_ID_LENGTH);
            }
        }
        JsonNode typeNode = object.get("type");
        if (typeNode == null || !typeNode.isTextual() || typeNode.asText().isEmpty()) {
            throw new EnvelopeException(id, ErrorCode.BAD_ENVELOPE, "type must be a non-empty string");
        }
        String type = typeNode.asText();
        if (type.length() > MAX_ID_LENGTH) {
            throw new EnvelopeException(id, ErrorCode.BAD_ENVELOPE, "type is longer than " + MAX_ID_LENGTH);
        }
        JsonNode trace = object.get("traceparent");
        // W3C traceparent is 55 characters; anything else is ignored, never an error (tracing is optional)
        String traceparent = trace != null && trace.isTextual() && trace.asText().length() <= 128 ? trace.asText() : null;
        return new Envelope(id, type, object.get("data"), traceparent, object.path("resumable").asBoolean(false));
    }

    /**
     * The frame's {@code id} without decoding the rest (a streaming read that stops at it), or {@code null}:
     * how a refusal that happens before decoding (a rate limit) still answers the request it refuses.
     */
    public static String peekId(byte[] utf8) {
        try (com.fasterxml.jackson.core.JsonParser p = Json.MAPPER.getFactory().createParser(utf8)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                com.fasterxml.jackson.core.JsonToken value = p.nextToken();
                if ("id".equals(name)) {
                    boolean usable = value == com.fasterxml.jackson.core.JsonToken.VALUE_STRING
                            || value == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT;
                    String id = usable ? p.getText() : null;
                    return id != null && id.length() <= MAX_ID_LENGTH ? id : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** A decoding failure that happened after the {@code id} was known, so the error frame can carry {@code re}. */
    public static final class EnvelopeException extends ProtocolException {
        private final String id;

        public EnvelopeException(String id, ErrorCode code, String message) {
            super(code, message);
            this.id = id;
        }

        /** The request id, or {@code null}. */
        public String id() {
            return id;
        }
    }
}
