package dev.switchboard.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class AppendToDeliveryTest {

    private static long wallMillisNow() {
        return Instant.now().toEpochMilli();
    }

    @Test
    void joinsDeliveriesWithTheirAppendTimesWhateverTheOrder() {
        AppendToDelivery d = new AppendToDelivery(16);
        long base = System.nanoTime();
        int first = d.sending(base);
        int second = d.sending(base + 33_333);
        int third = d.sending(base + 66_666);
        // the second record is delivered before its ack arrives; the third is never acknowledged
        d.delivered(base + 33_333, System.nanoTime());
        long appended = wallMillisNow() - 5; // appended 5 ms ago
        d.acked(first, appended);
        d.acked(second, appended);
        d.delivered(base, System.nanoTime());
        d.delivered(base + 66_666, System.nanoTime());

        long[] unmatched = new long[1];
        Histogram h = d.latencies(unmatched);
        assertEquals(2, h.getTotalCount());
        assertEquals(1, unmatched[0], "the unacknowledged record's delivery");
        assertTrue(h.getMinValue() >= 4_000_000L, "at least the 5 ms since the append, less the clock's rounding: " + h.getMinValue());
        assertTrue(h.getMaxValue() < 1_000_000_000L, "not a clock mix-up: " + h.getMaxValue());
        assertEquals(2, third - first);
    }

    @Test
    void countsWhatDoesNotFitInsteadOfRecordingIt() {
        AppendToDelivery d = new AppendToDelivery(1);
        long base = System.nanoTime();
        int seq = d.sending(base);
        assertEquals(-1, d.sending(base + 1), "full");
        d.acked(seq, wallMillisNow());
        d.delivered(base, System.nanoTime());
        d.delivered(base + 1, System.nanoTime());
        long[] unmatched = new long[1];
        assertEquals(1, d.latencies(unmatched).getTotalCount());
        assertEquals(1, unmatched[0]);
    }
}
