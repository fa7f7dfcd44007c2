package dev.switchboard.server.engine;

/**
 * What part of a channel's history to read.
 *
 * @param since   return publications with offset strictly greater than this ({@code null}: from the oldest retained)
 * @param limit   at most this many (0: none, only the position; negative: no limit)
 * @param reverse newest first
 */
public record HistoryQuery(Long since, int limit, boolean reverse) {

    /** Only the position, no publications. */
    public static HistoryQuery positionOnly() {
        return new HistoryQuery(null, 0, false);
    }
}
