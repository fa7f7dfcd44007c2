package dev.switchboard.server.internal.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Whether a text message is valid UTF-8 (RFC 3629, as RFC 6455 requires of text frames). Netty's check reads
 * a buffer byte by byte, each read bounds- and reference-count-checked; protocol messages are nearly always
 * ASCII, so the message's bytes (copied out of the frame anyway) are read eight at a time while they are
 * ASCII, and Netty's check only sees the rest, from the first byte with the high bit set (a character
 * boundary, since every byte before it is ASCII). Measured: the byte-wise check was 3 % of a node's CPU at
 * 30,000 small publications a second.
 */
final class Utf8Text {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8Text() {
    }

    static boolean isValid(byte[] bytes) {
        int i = 0;
        while (bytes.length - i >= Long.BYTES && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
            i += Long.BYTES;
        }
        while (i < bytes.length && bytes[i] >= 0) {
            i++;
        }
        return i == bytes.length
                || ByteBufUtil.isText(Unpooled.wrappedBuffer(bytes, i, bytes.length - i), StandardCharsets.UTF_8);
    }
}
