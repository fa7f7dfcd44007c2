package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 2.0);

    @Test
    void ceilingGrowsByTheFactorAndIsCappedAtMax() {
        assertEquals(100, backoff.ceilingMillis(0));
        assertEquals(200, backoff.ceilingMillis(1));
        assertEquals(3200, backoff.ceilingMillis(5));
        assertEquals(5000, backoff.ceilingMillis(6));
        assertEquals(5000, backoff.ceilingMillis(10_000)); // factor^n overflows to Infinity: still capped
    }

    @Test
    void fullJitterDrawsFromTheWholeWindowAndNeverAboveTheCeiling() {
        SplittableRandom random = new SplittableRandom(42);
        for (int attempt = 0; attempt < 12; attempt++) {
            long ceiling = backoff.ceilingMillis(attempt);
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = 0; i < 2_000; i++) {
                long d = backoff.delay(attempt, random).toMillis();
                assertTrue(d >= 0 && d <= ceiling, "attempt " + attempt + ": " + d + " outside [0, " + ceiling + "]");
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
            // full jitter, not "equal jitter": the draws reach both ends of [0, ceiling]
            assertTrue(min <= ceiling / 20, "attempt " + attempt + ": smallest delay " + min + " of " + ceiling);
            assertTrue(max >= ceiling * 19 / 20, "attempt " + attempt + ": largest delay " + max + " of " + ceiling);
        }
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Double.NaN));
    }
}
