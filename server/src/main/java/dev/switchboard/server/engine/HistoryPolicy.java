package dev.switchboard.server.engine;

import java.time.Duration;

/**
 * How much of one channel's history is retained.
 *
 * @param size how many publications at most (0: none; offsets are still assigned)
 * @param ttl  how long a publication is retained ({@link Duration#ZERO}: no age limit, only {@code size})
 */
public record HistoryPolicy(int size, Duration ttl) {

    /** The default: the last 100 publications of the last 5 minutes. */
    public static final HistoryPolicy DEFAULT = new HistoryPolicy(100, Duration.ofMinutes(5));

    /** No history at all. */
    public static final HistoryPolicy NONE = new HistoryPolicy(0, Duration.ZERO);

    public HistoryPolicy {
        if (size < 0) {
            throw new IllegalArgumentException("history size must be >= 0, was " + size);
        }
        if (ttl == null || ttl.isNegative()) {
            throw new IllegalArgumentException("history ttl must be >= 0, was " + ttl);
        }
    }

    /** Whether anything is retained. */
    public boolean enabled() {
        return size > 0;
    }

    /** The age limit in ms, 0 when there is none. */
    public long ttlMillis() {
        return ttl.toMillis();
    }
}
