package dev.switchboard.server.internal.routing;

/**
 * A token bucket: {@code rate} events per second on average, bursts up to {@code burst}. Not synchronised: a
 * connection's limiter is touched only from its event loop; shared ones are locked by their owner.
 */
public final class RateLimiter {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;

    public RateLimiter(double ratePerSecond, int burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1_000_000_000d;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Whether the bucket has refilled completely: nothing used it for a while. */
    public boolean isFull(long nowNanos) {
        return tokens + (nowNanos - last) * ratePerNano >= burst;
    }

    /** Takes one token if there is one. */
    public boolean tryAcquire(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * ratePerNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
