package dev.switchboard.bench.metrics;

/**
 * Open-loop pacing for a fixed send rate. Message {@code i} is due at {@code start + i / rate}; the sender asks how
 * many are due now and stamps each with its <em>intended</em> time, so a stalled server shows up as latency instead
 * of silently lowering the offered load (no coordinated omission). A rate of 0 means unpaced: every call allows
 * one more message.
 */
public final class RatePacer {

    private final long startNanos;
    private final double intervalNanos;
    private final long limit;
    private long sent;

    /**
     * @param perSecond messages per second; 0 for unpaced
     * @param startNanos {@link System#nanoTime()} at which message 0 is due
     * @param limit the most messages ever allowed (the run's count bound); {@code Long.MAX_VALUE} for none
     */
    public RatePacer(double perSecond, long startNanos, long limit) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("rate must be >= 0");
        }
        this.startNanos = startNanos;
        this.intervalNanos = perSecond == 0 ? 0 : 1e9 / perSecond;
        this.limit = limit;
    }

    /** How many messages are due at {@code nowNanos} and not yet taken, capped at {@code maxBurst}. */
    public int due(long nowNanos, int maxBurst) {
        long target;
        if (intervalNanos == 0) {
            target = sent + maxBurst;
        } else {
            long elapsed = nowNanos - startNanos;
            target = elapsed < 0 ? 0 : (long) (elapsed / intervalNanos) + 1;
        }
        target = Math.min(target, limit);
        return (int) Math.max(0, Math.min(maxBurst, target - sent));
    }

    /** The intended send time of the next message, then counts it as taken. */
    public long take() {
        long intended = intervalNanos == 0 ? System.nanoTime() : startNanos + (long) (sent * intervalNanos);
        sent++;
        return intended;
    }

    /** Messages taken so far. */
    public long sent() {
        return sent;
    }

    /** True once the count bound is reached. */
    public boolean exhausted() {
        return sent >= limit;
    }
}
