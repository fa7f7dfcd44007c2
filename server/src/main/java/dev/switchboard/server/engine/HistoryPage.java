package dev.switchboard.server.engine;

import java.util.List;

/**
 * A history read.
 *
 * @param publications the matching retained publications, in the order the query asked for
 * @param position     the channel's position at the time of the read
 * @param complete     when {@code since} was given: true if no publication after {@code since} was lost to
 *                     retention (so a client resuming from {@code since} misses nothing)
 */
public record HistoryPage(List<Publication> publications, StreamPosition position, boolean complete) {
}
