package dev.switchboard.server.internal.transport;

import dev.switchboard.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a route answers: status, content type, body, extra headers. Built by the api layer, written by
 * the transport, so route code never touches Netty's response objects.
 */
public record HttpResult(int status, String contentType, byte[] body, Map<String, String> headers) {

    public static HttpResult json(int status, Object body) {
        return new HttpResult(status, "application/json", Json.bytes(body), Map.of());
    }

    public static HttpResult text(int status, String contentType, String body) {
        return new HttpResult(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** {@code {"error":{"code","message"}}} with {@code status}. */
    public static HttpResult error(int status, String code, String message) {
        var root = Json.object();
        root.putObject("error").put("code", code).put("message", message);
        return json(status, root);
    }

    /** The same result with one more header. */
    public HttpResult withHeader(String name, String value) {
        var copy = new java.util.LinkedHashMap<>(headers);
        copy.put(name, value);
        return new HttpResult(status, contentType, body, Map.copyOf(copy));
    }
}
