package dev.switchboard.server.internal.outbound.client;

import io.netty.buffer.ByteBuf;

/**
 * An answer's body gathered whole, up to a limit: copied once, from the socket's buffers into an array sized
 * by {@code Content-Length} when the answer gives one.
 */
final class BodyCollector {

    private final int max;
    private byte[] body;
    private int size;

    /** @param declared the answer's {@code Content-Length}, or -1 */
    BodyCollector(int max, long declared) {
        this.max = max;
        this.body = new byte[declared > 0 && declared <= max ? (int) declared : 0];
    }

    /** Adds a piece; false when the body would pass the limit (nothing is added then). */
    boolean add(ByteBuf content) {
        int n = content.readableBytes();
        if (size + n > max) {
            return false;
        }
        if (size + n > body.length) {
            body = java.util.Arrays.copyOf(body, Math.min(max, Math.max(size + n, body.length * 2)));
        }
        content.readBytes(body, size, n);
        size += n;
        return true;
    }

    byte[] bytes() {
        return size == body.length ? body : java.util.Arrays.copyOf(body, size);
    }
}
