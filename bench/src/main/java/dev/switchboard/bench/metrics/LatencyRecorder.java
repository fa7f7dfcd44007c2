package dev.switchboard.bench.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Latency recording from many event-loop threads without contention: each thread writes to its own
 * {@link SingleWriterRecorder} (wait-free), and a reader merges the threads' interval histograms into a running
 * total. Values are nanoseconds; the range covers 1 µs .. 1 h with 3 significant digits.
 */
public final class LatencyRecorder {

    static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.HOURS.toNanos(1);

    private final List<SingleWriterRecorder> recorders = new CopyOnWriteArrayList<>();
    private final ThreadLocal<SingleWriterRecorder> mine = ThreadLocal.withInitial(this::register);
    private final Histogram total = newHistogram();

    /** A histogram with this recorder's range and precision. */
    public static Histogram newHistogram() {
        return new Histogram(1_000, HIGHEST_TRACKABLE_NANOS, 3);
    }

    private SingleWriterRecorder register() {
        SingleWriterRecorder r = new SingleWriterRecorder(1_000, HIGHEST_TRACKABLE_NANOS, 3);
        recorders.add(r);
        return r;
    }

    /** Records one latency from the calling thread; values outside the range are clamped, never dropped. */
    public void record(long nanos) {
        mine.get().recordValue(Math.max(1_000, Math.min(nanos, HIGHEST_TRACKABLE_NANOS)));
    }

    /**
     * Merges what every thread recorded since the last call into the running total and returns just that
     * interval (for a progress line). Call from one reader thread.
     */
    public synchronized Histogram interval() {
        Histogram interval = newHistogram();
        for (SingleWriterRecorder r : recorders) {
            interval.add(r.getIntervalHistogram());
        }
        total.add(interval);
        return interval;
    }

    /** A copy of everything recorded so far, after folding in the latest interval. */
    public synchronized Histogram total() {
        interval();
        return total.copy();
    }

    /** Forgets everything recorded so far (e.g. after a warm-up). */
    public synchronized void reset() {
        interval();
        total.reset();
    }
}
