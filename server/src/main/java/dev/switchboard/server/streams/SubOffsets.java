package dev.switchboard.server.streams;

import java.util.Arrays;
import java.util.List;

/**
 * A fork's {@code Stream-Fork-Sub-Offset}: how much of the source's next message (the first after the fork
 * offset) the fork inherits: that many JSON values on a JSON stream, that many bytes otherwise. The store
 * writes it as the fork's first own message.
 */
public final class SubOffsets {

    private SubOffsets() {
    }

    /** The inherited part, or null when there is no next message or it is shorter than {@code n}. */
    public static byte[] prefix(StreamSpec source, List<StreamMessage> after, long n) {
        if (after.isEmpty()) {
            return null;
        }
        byte[] data = after.get(0).data();
        if (source.json()) {
            return n > JsonBatches.count(data) ? null : JsonBatches.prefix(data, (int) n);
        }
        return n > data.length ? null : Arrays.copyOf(data, (int) n);
    }

    /** The same, from a read of the source at the fork offset. */
    public static byte[] prefix(StreamChunk source, long n) {
        return prefix(source.state().spec(), source.messages(), n);
    }
}
