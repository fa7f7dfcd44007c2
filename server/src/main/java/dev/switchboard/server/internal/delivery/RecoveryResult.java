package dev.switchboard.server.internal.delivery;

import dev.switchboard.protocol.Publication;
import dev.switchboard.protocol.StreamPosition;
import java.util.List;

/**
 * The outcome of a subscribe, with recovery when the client gave {@code since}.
 *
 * @param position     the channel's position when the history was read
 * @param recovered    null without {@code since}; true when every publication after {@code since} is in
 *                     {@code publications}; false when they are no longer retained or the epoch changed
 * @param publications the missed publications, in offset order (empty unless recovered)
 */
public record RecoveryResult(StreamPosition position, Boolean recovered, List<Publication> publications) {
}
