package dev.switchboard.protocol;

import java.util.List;

/**
 * A read of a channel's history, on either side of the wire: the server's engine fills it with its
 * publications, the Java client with the messages it decoded.
 *
 * @param publications the matching retained publications, in the order the query asked for
 * @param position     the channel's position (newest offset and epoch) at the time of the read; when its
 *                     epoch differs from the one asked about, offsets are not comparable
 * @param complete     when {@code since} was given: true if no publication after {@code since} was lost to
 *                     retention (so a client resuming from {@code since} misses nothing)
 * @param <P>          what one publication is on this side
 */
public record HistoryPage<P>(List<P> publications, StreamPosition position, boolean complete) {
}
