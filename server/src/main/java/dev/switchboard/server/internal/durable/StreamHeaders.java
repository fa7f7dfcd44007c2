package dev.switchboard.server.internal.durable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The protocol's header names, and the headers every answer under the prefix carries: CORS for browsers
 * (preflights need no credentials; every request and response header the protocol uses is allowed and exposed,
 * {@code If-None-Match} included) and the browser security headers of the protocol's section 12.7.
 */
final class StreamHeaders {

    static final String NEXT_OFFSET = "Stream-Next-Offset";
    static final String CURSOR = "Stream-Cursor";
    static final String UP_TO_DATE = "Stream-Up-To-Date";
    static final String CLOSED = "Stream-Closed";
    static final String SEQ = "Stream-Seq";
    static final String TTL = "Stream-TTL";
    static final String EXPIRES_AT = "Stream-Expires-At";
    static final String FORKED_FROM = "Stream-Forked-From";
    static final String FORK_OFFSET = "Stream-Fork-Offset";
    static final String FORK_SUB_OFFSET = "Stream-Fork-Sub-Offset";
    static final String PRODUCER_ID = "Producer-Id";
    static final String PRODUCER_EPOCH = "Producer-Epoch";
    static final String PRODUCER_SEQ = "Producer-Seq";
    static final String PRODUCER_EXPECTED_SEQ = "Producer-Expected-Seq";
    static final String PRODUCER_RECEIVED_SEQ = "Producer-Received-Seq";
    static final String SSE_DATA_ENCODING = "Stream-SSE-Data-Encoding";

    private static final Map<String, String> COMMON = Map.of(
            "Access-Control-Allow-Origin", "*",
            "Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, HEAD, OPTIONS",
            "Access-Control-Allow-Headers", "content-type, authorization, if-none-match, " + String.join(", ",
                    SEQ, TTL, EXPIRES_AT, CLOSED, PRODUCER_ID, PRODUCER_EPOCH, PRODUCER_SEQ, FORKED_FROM, FORK_OFFSET,
                    FORK_SUB_OFFSET),
            "Access-Control-Expose-Headers", String.join(", ", NEXT_OFFSET, CURSOR, UP_TO_DATE, CLOSED, PRODUCER_EPOCH,
                    PRODUCER_SEQ, PRODUCER_EXPECTED_SEQ, PRODUCER_RECEIVED_SEQ, SSE_DATA_ENCODING, "ETag", "Location",
                    "Content-Type", "Stream-TTL", "Stream-Expires-At"),
            "Access-Control-Max-Age", "600",
            "Cross-Origin-Resource-Policy", "cross-origin",
            "X-Content-Type-Options", "nosniff");

    private StreamHeaders() {
    }

    /** A fresh, ordered header map holding the common headers. */
    static Map<String, String> common() {
        return new LinkedHashMap<>(COMMON);
    }
}
