package dev.switchboard.server.internal.outbound.client;

import java.io.InputStream;

/**
 * A backend's answer whose body is read as it arrives (NDJSON, SSE): status and content type (lower case, ""
 * when absent) at once, the body from {@link #body()} on the reader's thread. Closing the body before its end
 * aborts the exchange: the backend sees its connection close.
 */
public record StreamedAnswer(int status, String contentType, InputStream body) {
}
