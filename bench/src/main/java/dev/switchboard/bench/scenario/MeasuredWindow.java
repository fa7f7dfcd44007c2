package dev.switchboard.bench.scenario;

import dev.switchboard.bench.report.Progress;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The time line of a closed-loop scenario: a warm-up from now, then the measured duration, during which the
 * server's CPU is read. Loads record only what falls inside ({@link #counts}) and stop asking after the end.
 */
final class MeasuredWindow {

    /** Until {@link #start}: nothing measured, nothing over. */
    private volatile long from = Long.MAX_VALUE;
    private volatile long to = Long.MAX_VALUE;

    /** The warm-up begins now. */
    void start(Duration warmup, Duration duration) {
        long f = System.nanoTime() + warmup.toNanos();
        to = f + duration.toNanos();
        from = f;
    }

    /** Whether an operation started at {@code started} and done at {@code now} is measured. */
    boolean counts(long started, long now) {
        return started >= from && now <= to;
    }

    /** Whether new work may still be started. */
    boolean open(long now) {
        return now < to;
    }

    /** Waits out the warm-up and the measured duration (the CPU read over the latter), showing {@code status}. */
    void await(String label, Supplier<String> status, ServerCpu cpu) throws InterruptedException {
        try (Progress p = new Progress(label, status)) {
            while (System.nanoTime() < from) {
                Thread.sleep(5);
            }
            cpu.start();
            while (System.nanoTime() < to) {
                Thread.sleep(20);
            }
            cpu.stop();
        }
    }
}
