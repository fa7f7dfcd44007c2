package dev.switchboard.protocol;

/**
 * Where a channel's history stands, or a place in it: an offset and the history epoch it belongs to.
 *
 * @param offset the offset of the newest publication (0 when none yet)
 * @param epoch  changes whenever stored history may have been lost (engine restart, Redis flush, retention
 *               reset); offsets from different epochs must not be compared
 */
public record StreamPosition(long offset, String epoch) {
}
