package dev.switchboard.bench.scenario;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** Bounded polling for conditions the load reaches asynchronously. */
final class Waits {

    private Waits() {
    }

    /** Polls {@code done} every 10 ms until true or {@code limit}; returns whether it became true. */
    static boolean until(BooleanSupplier done, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /**
     * Waits until {@code value} reaches {@code target}, giving up after {@code limit} or once it has not moved
     * for {@code stall}; returns whether it reached the target.
     */
    static boolean drain(LongSupplier value, long target, Duration limit, Duration stall)
            throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        long last = value.getAsLong();
        long lastMove = System.nanoTime();
        while (value.getAsLong() < target) {
            long now = System.nanoTime();
            long v = value.getAsLong();
            if (v != last) {
                last = v;
                lastMove = now;
            }
            if (now > end || now - lastMove > stall.toNanos()) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
