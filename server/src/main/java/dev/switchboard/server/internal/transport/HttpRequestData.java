package dev.switchboard.server.internal.transport;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as route handlers see it: already aggregated, decoded and detached from Netty's buffers.
 *
 * @param method     upper-case method
 * @param path       decoded path without query
 * @param query      query parameters
 * @param pathParams values of {@code {name}} segments of the matched route
 * @param headers    request headers
 * @param body       the body bytes (empty when none)
 */
public record HttpRequestData(String method, String path, Map<String, List<String>> query,
                              Map<String, String> pathParams, HttpHeaders headers, byte[] body) {

    /** The first value of a query parameter, or {@code null}. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A header value, or {@code null}. */
    public String header(String name) {
        return headers.get(name);
    }
}
