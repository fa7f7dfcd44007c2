package dev.switchboard.server.internal.durable;

import dev.switchboard.server.internal.transport.HttpResult;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Answers under the prefix: the common headers always, plain-text messages for refusals (as the protocol's own server). */
final class StreamAnswers {

    private static final byte[] NONE = new byte[0];

    private StreamAnswers() {
    }

    /** A refusal or a bodiless answer with a short explanation. */
    static HttpResult text(int status, String message) {
        return text(status, message, StreamHeaders.common());
    }

    static HttpResult text(int status, String message, Map<String, String> headers) {
        return new HttpResult(status, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** No body: 204s, 304s, HEAD. {@code contentType} null leaves the header out of the protocol's view. */
    static HttpResult empty(int status, String contentType, Map<String, String> headers) {
        return new HttpResult(status, contentType == null ? "application/octet-stream" : contentType, NONE, headers);
    }

    static HttpResult body(int status, String contentType, byte[] body, Map<String, String> headers) {
        return new HttpResult(status, contentType, body, headers);
    }

    /** A request the protocol calls malformed. */
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
