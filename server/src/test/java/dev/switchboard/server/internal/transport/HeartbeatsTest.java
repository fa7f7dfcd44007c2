package dev.switchboard.server.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ping schedule: each connection once per interval on its own clock, a reconnect storm spread out. */
class HeartbeatsTest {

    private static final long INTERVAL = 25_000;

    @Test
    void everyConnectionIsPingedOncePerIntervalHoweverTheSweepsAreTimed() {
        Random random = new Random(20261204);
        int connections = 2_000;
        long[] connectedAt = new long[connections];
        long[] lastPing = new long[connections];
        int[] pings = new int[connections];
        for (int i = 0; i < connections; i++) {
            connectedAt[i] = random.nextInt(60_000);
            lastPing[i] = connectedAt[i];
        }
        long end = 300_000;
        long since = 0;
        for (long now = 0; now <= end; now += 700 + random.nextInt(600)) { // sweeps late and early around 1 s
            for (int i = 0; i < connections; i++) {
                if (connectedAt[i] <= now && Heartbeats.pingDue(id(i), connectedAt[i], INTERVAL, since, now)) {
                    long gap = now - lastPing[i];
                    long least = pings[i] == 0 ? INTERVAL / 2 : INTERVAL; // the first within an interval of the connect
                    assertTrue(gap >= least - 1_300 && gap <= INTERVAL + 1_300,
                            id(i) + ": " + gap + " ms since the previous ping (or the connect)");
                    lastPing[i] = now;
                    pings[i]++;
                }
            }
            since = now;
        }
        for (int i = 0; i < connections; i++) {
            assertTrue(end - lastPing[i] <= INTERVAL + 1_300, id(i) + " was not pinged for " + (end - lastPing[i]) + " ms");
            assertTrue(pings[i] >= (end - 1_300 - connectedAt[i]) / INTERVAL, id(i) + " pinged " + pings[i] + " times");
        }
    }

    @Test
    void aReconnectStormIsNotPingedInOneSweep() {
        int connections = 10_000;
        int busiest = 0;
        long since = 0;
        for (long now = 1_000; now <= 2 * INTERVAL; now += 1_000) {
            int pinged = 0;
            for (int i = 0; i < connections; i++) {
                if (Heartbeats.pingDue(id(i), 0, INTERVAL, since, now)) { // all connected at the same moment
                    pinged++;
                }
            }
            busiest = Math.max(busiest, pinged);
            since = now;
        }
        // spread over half the interval (12.5 sweeps of 1 s): about 800 per sweep, never all 10,000
        assertTrue(busiest <= 2 * connections / 12, "busiest sweep pinged " + busiest);
    }

    @Test
    void nothingIsPingedInItsFirstHalfInterval() {
        for (int i = 0; i < 1_000; i++) {
            assertEquals(false, Heartbeats.pingDue(id(i), 10_000, INTERVAL, 10_000, 10_000 + INTERVAL / 2 - 1));
        }
    }

    private static String id(int i) {
        return "node-a1-" + Long.toString(i + 1, 36); // the shape ConnectionOpener gives ids
    }
}
