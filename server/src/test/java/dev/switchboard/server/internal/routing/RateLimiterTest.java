package dev.switchboard.server.internal.routing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void burstThenSustainedRate() {
        long t = 0;
        RateLimiter r = new RateLimiter(10, 5, t);
        for (int i = 0; i < 5; i++) {
            assertTrue(r.tryAcquire(t));
        }
        assertFalse(r.tryAcquire(t));
        t += 100_000_000; // 100 ms at 10/s refills one token
        assertTrue(r.tryAcquire(t));
        assertFalse(r.tryAcquire(t));
        t += 10_000_000_000L; // a long pause refills only up to the burst
        for (int i = 0; i < 5; i++) {
            assertTrue(r.tryAcquire(t));
        }
        assertFalse(r.tryAcquire(t));
    }
}
