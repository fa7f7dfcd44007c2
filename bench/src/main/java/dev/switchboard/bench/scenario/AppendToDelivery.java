package dev.switchboard.bench.scenario;

import dev.switchboard.bench.metrics.LatencyRecorder;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * The bridge's own part of a Kafka record's way: from the broker's append (the record's {@code LogAppendTime},
 * which the producer's acknowledgement carries) to its delivery on a subscriber's socket. End-to-end latency
 * starts at the intended send time and so also holds the producer's batching and its request to the broker;
 * this one starts where the gateway's consumer could first fetch the record.
 *
 * <p>The broker stamps whole milliseconds (rounded down), so each figure is at most 1 ms above the true one,
 * never below. Wall clocks are the same machine's: the broker's {@code currentTimeMillis} and this process's
 * {@code nanoTime} tied to the wall clock once, at construction.
 *
 * <p>Deliveries can arrive before the producer hears its ack, so the two are joined afterwards: the sender keeps
 * each record's stamp and append time by sequence number, receipts keep (stamp, time); stamps grow with the
 * sequence, so a binary search finds a receipt's record. Bounded by {@code capacity}; what does not fit is
 * counted, not recorded.
 */
final class AppendToDelivery {

    private final long wallMinusNano;
    private final long[] stamps;
    private final AtomicLongArray appendMillis;
    private final AtomicLongArray receiptStamps;
    private final AtomicLongArray receiptNanos;
    private final AtomicInteger receipts = new AtomicInteger();
    private volatile int sent; // one writer (the publishing thread); read after the load

    AppendToDelivery(int capacity) {
        Instant wall = Instant.now();
        long nano = System.nanoTime();
        this.wallMinusNano = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - nano;
        this.stamps = new long[capacity];
        this.appendMillis = new AtomicLongArray(capacity);
        this.receiptStamps = new AtomicLongArray(capacity);
        this.receiptNanos = new AtomicLongArray(capacity);
    }

    /** Called on the publishing thread, in send order: the sequence number for {@link #acked}, or -1 when full. */
    int sending(long stampNanos) {
        if (sent == stamps.length) {
            return -1;
        }
        stamps[sent] = stampNanos;
        return sent++;
    }

    /** The broker appended record {@code seq} at {@code logAppendMillis}. */
    void acked(int seq, long logAppendMillis) {
        if (seq >= 0) {
            appendMillis.set(seq, logAppendMillis);
        }
    }

    /** A measured delivery (any subscriber thread). */
    void delivered(long stampNanos, long nowNanos) {
        int i = receipts.getAndIncrement();
        if (i < receiptStamps.length()) {
            receiptStamps.set(i, stampNanos);
            receiptNanos.set(i, nowNanos);
        }
    }

    /**
     * Append-to-delivery latencies of the deliveries recorded so far (call after the load drained and the producer
     * flushed); {@code unmatched[0]} gets the deliveries that could not be joined with an acknowledged record.
     */
    Histogram latencies(long[] unmatched) {
        Histogram h = LatencyRecorder.newHistogram();
        int n = Math.min(receipts.get(), receiptStamps.length());
        long missing = receipts.get() - n;
        long[] sentStamps = Arrays.copyOf(stamps, sent);
        for (int i = 0; i < n; i++) {
            int seq = Arrays.binarySearch(sentStamps, receiptStamps.get(i));
            long append = seq < 0 ? 0 : appendMillis.get(seq);
            if (append <= 0) {
                missing++;
                continue;
            }
            long nanos = receiptNanos.get(i) + wallMinusNano - append * 1_000_000L;
            // clamped like every recorded latency (the clocks are tied to within microseconds)
            h.recordValue(Math.max(1_000, Math.min(nanos, h.getHighestTrackableValue())));
        }
        unmatched[0] = missing;
        return h;
    }
}
