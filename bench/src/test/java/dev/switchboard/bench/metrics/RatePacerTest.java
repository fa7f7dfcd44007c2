package dev.switchboard.bench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RatePacerTest {

    private static final long MS = 1_000_000L;

    @Test
    void releasesMessagesAtTheirDueTimesAndStampsIntendedTimes() {
        long start = 1_000 * MS;
        RatePacer pacer = new RatePacer(1000, start, Long.MAX_VALUE); // one per ms
        assertEquals(0, pacer.due(start - 1, 100), "nothing before the start");
        assertEquals(1, pacer.due(start, 100), "message 0 is due at the start");
        assertEquals(start, pacer.take());
        assertEquals(0, pacer.due(start + MS / 2, 100));
        assertEquals(10, pacer.due(start + 10 * MS, 100), "messages 1..10 are due at +10 ms");
        for (int i = 1; i <= 10; i++) {
            assertEquals(start + i * MS, pacer.take(), "stamped with the intended time, not the send time");
        }
        assertEquals(11, pacer.sent());
    }

    @Test
    void aStalledSenderCatchesUpInBoundedBurstsWithoutLosingTheSchedule() {
        long start = 0;
        RatePacer pacer = new RatePacer(10_000, start, Long.MAX_VALUE); // one per 100 µs
        long late = 100 * MS; // 1001 messages due
        int total = 0;
        int burst;
        while ((burst = pacer.due(late, 64)) > 0) {
            assertTrue(burst <= 64);
            for (int i = 0; i < burst; i++) {
                pacer.take();
            }
            total += burst;
        }
        assertEquals(1001, total);
    }

    @Test
    void theCountBoundStopsIt() {
        RatePacer pacer = new RatePacer(1_000_000, 0, 5);
        assertEquals(5, pacer.due(10 * MS, 100));
        for (int i = 0; i < 5; i++) {
            pacer.take();
        }
        assertTrue(pacer.exhausted());
        assertEquals(0, pacer.due(20 * MS, 100));
    }

    @Test
    void unpacedAllowsOneBurstPerCall() {
        RatePacer pacer = new RatePacer(0, 0, 3);
        assertFalse(pacer.exhausted());
        assertEquals(2, pacer.due(0, 2));
        pacer.take();
        pacer.take();
        assertEquals(1, pacer.due(0, 2), "capped by the count bound");
    }

    @Test
    void rejectsNegativeRates() {
        assertThrows(IllegalArgumentException.class, () -> new RatePacer(-1, 0, 1));
    }
}
