package dev.switchboard.server.streams;

import java.util.List;

/**
 * What a read returned: the messages after the requested position (as many as fit the read's byte budget,
 * at least one), the stream's state when read, and whether those messages reach its tail.
 */
public record StreamChunk(List<StreamMessage> messages, StreamState state, boolean upToDate) {

    /** The position the reader is at after these messages: the last one's end, or the tail when none. */
    public long next() {
        return messages.isEmpty() ? state.tail() : messages.get(messages.size() - 1).end();
    }
}
