package dev.switchboard.server.internal.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A complete server-to-client WebSocket text frame (RFC 6455 header + payload) built once. Server frames are
 * never masked, so the bytes on the wire are identical for every recipient: fan-out writes views of this one
 * direct buffer instead of having the frame encoder allocate and copy a frame per recipient.
 */
final class WireFrame {

    /** FIN + opcode 1 (text). */
    private static final int FIN_TEXT = 0x81;

    private WireFrame() {
    }

    /** Header length for a payload of {@code length} bytes. */
    static int headerLength(int length) {
        return length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    }

    /** A direct buffer holding the whole frame; the caller owns its one reference. */
    static ByteBuf text(byte[] payload, ByteBufAllocator alloc) {
        int length = payload.length;
        ByteBuf buf = alloc.directBuffer(headerLength(length) + length);
        buf.writeByte(FIN_TEXT);
        if (length < 126) {
            buf.writeByte(length);
        } else if (length <= 0xFFFF) {
            buf.writeByte(126);
            buf.writeShort(length);
        } else {
            buf.writeByte(127);
            buf.writeLong(length);
        }
        buf.writeBytes(payload);
        return buf;
    }
}
