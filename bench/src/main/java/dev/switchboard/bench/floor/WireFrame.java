package dev.switchboard.bench.floor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A complete unmasked WebSocket text frame (RFC 6455 section 5.2: FIN + opcode 1, then the 7/16/64-bit length)
 * in one buffer, so one encoding serves every subscriber: written as a plain ByteBuf it passes Netty's frame
 * encoder untouched.
 */
final class WireFrame {

    private WireFrame() {
    }

    /** The frame whose payload is {@code head}, {@code body}, {@code tail}. */
    static ByteBuf text(byte[] head, ByteBuf body, byte tail) {
        int length = head.length + body.readableBytes() + 1;
        ByteBuf out = ByteBufAllocator.DEFAULT.directBuffer(length + 10);
        out.writeByte(0x81);
        if (length < 126) {
            out.writeByte(length);
        } else if (length < 65536) {
            out.writeByte(126).writeShort(length);
        } else {
            out.writeByte(127).writeLong(length);
        }
        out.writeBytes(head).writeBytes(body, body.readerIndex(), body.readableBytes()).writeByte(tail);
        return out;
    }
}
