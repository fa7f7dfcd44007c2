package dev.switchboard.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One stored channel message.
 *
 * @param channel channel name
 * @param offset  position in the channel: the first publication has offset 1, each next one +1, no gaps
 * @param epoch   the history epoch this offset belongs to (see {@link StreamPosition})
 * @param ts      server time of the publication, ms since the Unix epoch
 * @param from    publisher's user id, or {@code null}
 * @param data    the payload as published
 */
public record Publication(String channel, long offset, String epoch, long ts, String from, JsonNode data) {
}
