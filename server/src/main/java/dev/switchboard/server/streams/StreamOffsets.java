package dev.switchboard.server.streams;

import java.util.regex.Pattern;

/**
 * The offsets this gateway mints: {@code 0000000000000000_NNNNNNNNNNNNNNNN}, a position that only grows, in two
 * fixed-width decimal fields, so that comparing two offsets as strings (what the protocol lets clients do) and
 * as numbers agree. The first field is reserved (always zero); the second is the position after a message.
 * Anything else a client sends is not ours and is refused, except the protocol's sentinels {@code -1} and
 * {@code now}.
 */
public final class StreamOffsets {

    /** The position before the first message. */
    public static final long START = 0;

    private static final Pattern OURS = Pattern.compile("\\d{16}_\\d{16}");
    private static final String ZERO = "0000000000000000_";

    private StreamOffsets() {
    }

    /** The offset text of {@code position}. */
    public static String format(long position) {
        String digits = Long.toString(position);
        return ZERO + "0".repeat(Math.max(0, 16 - digits.length())) + digits;
    }

    /** The position an offset of ours names, or -1 when the text is not one of ours. */
    public static long parse(String offset) {
        if (offset == null || !OURS.matcher(offset).matches() || !offset.startsWith(ZERO)) {
            return -1;
        }
        return Long.parseLong(offset.substring(ZERO.length()));
    }

    /**
     * The position after a message of {@code length} bytes stored at {@code position}: one more than the
     * bytes, so every message, however short, moves the offset.
     */
    public static long after(long position, int length) {
        return position + length + 1;
    }
}
