package dev.switchboard.server.internal.outbound.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * A POST to one backend URL as the bytes that go on the wire: the request line and {@code Host} encoded once
 * per origin, then per call the content headers, the call's own headers and the body, all in one buffer (one
 * write). Every call is the same small POST, so Netty's general request object, header map and encoder were a
 * tenth of the gateway's CPU per hook call (measured) for what is a few lines of ASCII.
 */
final class RequestHead {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);

    private final byte[] fixed;
    /**
     * The last header map encoded, by identity: a hook sends the same immutable map on every call that carries
     * no trace context, so its lines are checked and encoded once, not per call. One entry, replaced as a whole
     * (event loops race on it harmlessly: either entry is correct for its own map).
     */
    private volatile EncodedHeaders last;

    private record EncodedHeaders(java.util.Map<String, String> headers, byte[] lines) {
    }

    /** @param path the request target (path and query, already encoded); @param host the {@code Host} value */
    RequestHead(String path, String host) {
        this.fixed = ("POST " + checked(path) + " HTTP/1.1\r\nHost: " + checked(host) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The whole request: head and a copy of the body (the caller keeps its own body buffer). */
    ByteBuf encode(ByteBufAllocator alloc, BackendRequest request) {
        ByteBuf body = request.body();
        int length = body.readableBytes();
        ByteBuf out = alloc.ioBuffer(fixed.length + 192 + length);
        try {
            out.writeBytes(fixed);
            out.writeCharSequence(line("Content-Type", request.contentType()), StandardCharsets.US_ASCII);
            out.writeBytes(CONTENT_LENGTH);
            out.writeCharSequence(Integer.toString(length), StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
            out.writeBytes(lines(request.headers()));
            out.writeBytes(CRLF);
            out.writeBytes(body, body.readerIndex(), length);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** One header line, checked. */
    private static String line(String name, String value) {
        return checked(name) + ": " + checked(value) + "\r\n";
    }

    /** A request's own header lines, encoded (a request's map is not changed once it is made). */
    private byte[] lines(java.util.Map<String, String> headers) {
        EncodedHeaders cached = last;
        if (cached != null && cached.headers() == headers) {
            return cached.lines();
        }
        StringBuilder lines = new StringBuilder(64 * headers.size());
        headers.forEach((name, value) -> lines.append(line(name, value)));
        byte[] encoded = lines.toString().getBytes(StandardCharsets.US_ASCII);
        last = new EncodedHeaders(headers, encoded);
        return encoded;
    }

    /**
     * Only printable ASCII (and tab) reaches the head: a CR or LF in a header value (a trace context from a
     * client, a host from configuration) would split the request.
     */
    private static String checked(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7e) {
                throw new IllegalArgumentException("not allowed in an HTTP request head: " + (int) c);
            }
        }
        return s;
    }
}
