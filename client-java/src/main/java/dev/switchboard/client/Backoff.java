package dev.switchboard.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter (the AWS Architecture Blog's "Full Jitter"): retry {@code n} (from 0)
 * waits a uniformly random time in {@code [0, min(max, min * factor^n)]}. Spreading every client over the whole
 * window is what keeps a restarted gateway from being hit by all of them in the same millisecond.
 */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private final double factor;

    /** The window a client waits in, uniformly, after a node said it is restarting (close code 1012). */
    static final Duration RESTART_JITTER = Duration.ofSeconds(1);

    /** A delay uniform in [0, {@link #RESTART_JITTER}). */
    static Duration afterRestart(java.util.random.RandomGenerator random) {
        return Duration.ofMillis(random.nextLong(RESTART_JITTER.toMillis()));
    }

    Backoff(Duration min, Duration max, double factor) {
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("min must be positive");
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max must be >= min");
        }
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be >= 1");
        }
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        this.factor = factor;
    }

    /** The upper bound of the window for retry {@code attempt}: {@code min(max, min * factor^attempt)}. */
    long ceilingMillis(int attempt) {
        double ceiling = minMillis * Math.pow(factor, Math.max(0, attempt)); // Infinity for huge attempts: min() caps it
        return (long) Math.min(maxMillis, ceiling);
    }

    /** A delay drawn uniformly from {@code [0, ceiling(attempt)]}. */
    Duration delay(int attempt, RandomGenerator random) {
        return Duration.ofMillis(random.nextLong(ceilingMillis(attempt) + 1));
    }
}
