package dev.switchboard.server.internal.routing;

/**
 * A token bucket: {@code rate} messages per second on average, bursts up to {@code burst}. Touched only from
 * the connection's event loop, so it needs no synchronisation. Two longs and a double per connection.
 */
final class RateLimiter {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;

    RateLimiter(double ratePerSecond, int burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1_000_000_000d;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Takes one token if there is one. */
    boolean tryAcquire(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * ratePerNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
