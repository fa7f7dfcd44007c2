package dev.switchboard.client;

/**
 * A place in a channel's history: the offset of a publication and the history epoch it belongs to.
 * Offsets are only comparable within one epoch; a new epoch means the server's history was reset.
 */
public record StreamPosition(long offset, String epoch) {
}
