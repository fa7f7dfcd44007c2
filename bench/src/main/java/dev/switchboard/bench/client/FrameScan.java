package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the few fields the load client needs straight from a frame's UTF-8 bytes, without building a JSON tree:
 * at tens of thousands of deliveries per second the client must cost far less than the server it measures. It
 * relies only on compact JSON (no spaces required, but tolerated after the colon) as both servers write it.
 */
public final class FrameScan {

    private static final byte[] TYPE = "\"type\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STAMP = "\"t\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RE = "\"re\":".getBytes(StandardCharsets.US_ASCII);

    private FrameScan() {
    }

    /** The value of the first {@code "type"} key, or {@code null}. */
    public static String type(ByteBuf frame) {
        return stringAfter(frame, TYPE);
    }

    /** The value of the first {@code "re"} key, or {@code null}. */
    public static String re(ByteBuf frame) {
        return stringAfter(frame, RE);
    }

    /** The send stamp ({@code "t":<nanos>}) embedded in a bench payload, or -1 when absent. */
    public static long stamp(ByteBuf frame) {
        return stamp(frame, STAMP);
    }

    /**
     * The number after the first {@code key}, or -1: the stamp where a protocol nests the payload differently,
     * e.g. as a JSON string ({@code \"t\":<nanos>}) in Pusher's events.
     */
    static long stamp(ByteBuf frame, byte[] key) {
        int at = indexOf(frame, key, frame.readerIndex());
        if (at < 0) {
            return -1;
        }
        int i = skipSpaces(frame, at + key.length);
        int end = frame.writerIndex();
        long value = 0;
        int digits = 0;
        boolean negative = i < end && frame.getByte(i) == '-';
        if (negative) {
            i++;
        }
        while (i < end) {
            byte b = frame.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
            digits++;
            i++;
        }
        if (digits == 0) {
            return -1;
        }
        return negative ? -value : value;
    }

    /** The string value after the first {@code key} (a quoted key and its colon), or {@code null}. */
    static String stringAfter(ByteBuf frame, byte[] key) {
        int at = indexOf(frame, key, frame.readerIndex());
        if (at < 0) {
            return null;
        }
        int i = skipSpaces(frame, at + key.length);
        if (i >= frame.writerIndex() || frame.getByte(i) != '"') {
            return null;
        }
        int start = i + 1;
        int close = frame.indexOf(start, frame.writerIndex(), (byte) '"');
        if (close < 0) {
            return null;
        }
        return frame.toString(start, close - start, StandardCharsets.UTF_8);
    }

    private static int skipSpaces(ByteBuf frame, int i) {
        while (i < frame.writerIndex() && frame.getByte(i) == ' ') {
            i++;
        }
        return i;
    }

    /** The index of the first occurrence of {@code needle} at or after {@code from}, or -1. */
    static int indexOf(ByteBuf frame, byte[] needle, int from) {
        int last = frame.writerIndex() - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (frame.getByte(i) != needle[0]) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (frame.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
