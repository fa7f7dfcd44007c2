package dev.switchboard.server.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * Whether a text message is valid UTF-8 (RFC 3629, as RFC 6455 requires of text frames). Netty's check reads
 * byte by byte; protocol messages are nearly always ASCII, so the ASCII run is skipped eight bytes at a time and
 * Netty's check only sees the rest, from the first byte with the high bit set (a character boundary, since
 * every byte before it is ASCII). Measured: the byte-wise check alone was 3 % of the node's CPU at 30,000
 * small publications a second.
 */
final class Utf8Text {

    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8Text() {
    }

    static boolean isValid(ByteBuf bytes) {
        int i = bytes.readerIndex();
        int end = bytes.writerIndex();
        while (end - i >= Long.BYTES && (bytes.getLong(i) & HIGH_BITS) == 0) {
            i += Long.BYTES;
        }
        while (i < end && bytes.getByte(i) >= 0) {
            i++;
        }
        return i == end || ByteBufUtil.isText(bytes, i, end - i, StandardCharsets.UTF_8);
    }
}
