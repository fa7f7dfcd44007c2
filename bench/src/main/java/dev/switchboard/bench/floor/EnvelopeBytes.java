package dev.switchboard.bench.floor;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Field look-ups by byte search in the compact frames the load client writes, e.g.
 * {@code {"type":"publish","data":{"channel":"c","data":{…}}}}: enough for the floor, which must not pay for a
 * JSON parser, and wrong for any other input (which the floor never gets).
 */
final class EnvelopeBytes {

    private EnvelopeBytes() {
    }

    /** The string value after {@code keyAndQuote} (e.g. {@code "type":"}), or null. */
    static String string(ByteBuf in, String keyAndQuote) {
        int at = indexOf(in, keyAndQuote.getBytes(StandardCharsets.US_ASCII), in.readerIndex());
        if (at < 0) {
            return null;
        }
        int start = at + keyAndQuote.length();
        int end = in.indexOf(start, in.writerIndex(), (byte) '"');
        return end < 0 ? null : in.toString(start, end - start, StandardCharsets.UTF_8);
    }

    /**
     * The value of the {@code depth}-th {@code "data":} key, as a slice that ends before the {@code depth} closing
     * braces of the enclosing objects (1: a request's data; 2: a publication's data inside the publish's data).
     */
    static ByteBuf data(ByteBuf in, int depth) {
        byte[] key = "\"data\":".getBytes(StandardCharsets.US_ASCII);
        int at = in.readerIndex() - key.length;
        for (int k = 0; k < depth; k++) {
            at = indexOf(in, key, at + key.length);
            if (at < 0) {
                return in.slice(in.writerIndex(), 0);
            }
        }
        int start = at + key.length;
        int end = in.writerIndex() - depth;
        return in.slice(start, Math.max(0, end - start));
    }

    static int indexOf(ByteBuf in, byte[] needle, int from) {
        int last = in.writerIndex() - needle.length;
        outer:
        for (int i = Math.max(from, in.readerIndex()); i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (in.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
