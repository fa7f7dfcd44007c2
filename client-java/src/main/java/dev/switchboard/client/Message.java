package dev.switchboard.client;

import dev.switchboard.protocol.StreamPosition;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message pushed by the server: a channel publication (with {@code channel}, {@code offset}, {@code epoch}),
 * a direct message to this user ({@code to}), or a broadcast.
 *
 * @param channel   the channel, or {@code null} for direct messages and broadcasts
 * @param offset    the publication's offset in the channel ({@code -1} when not a channel message)
 * @param epoch     the channel's history epoch ({@code null} when not a channel message)
 * @param ts        server time in ms since the epoch
 * @param from      the sender's user id, or {@code null} (anonymous or backend)
 * @param to        the addressed user for direct messages, else {@code null}
 * @param broadcast whether this was sent to everyone on the endpoint
 * @param data      the payload as sent
 */
public record Message(String channel, long offset, String epoch, long ts, String from, String to,
                      boolean broadcast, JsonNode data) {

    /** The position of this publication, or {@code null} for messages that are not channel publications. */
    public StreamPosition position() {
        return channel == null ? null : new StreamPosition(offset, epoch);
    }
}
