package dev.switchboard.server.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The ping schedule: every connection once per interval, and never all of them in the same sweep. */
class HeartbeatsTest {

    @Test
    void slotsFollowTheIntervalAndNeverDropBelowOne() {
        assertEquals(25, Heartbeats.pingSlots(25_000, 1_000));
        assertEquals(1, Heartbeats.pingSlots(200, 200));
        assertEquals(1, Heartbeats.pingSlots(10, 20));
        assertEquals(2, Heartbeats.pingSlots(2_500, 1_000), "rounded down: pinged at least once per interval");
    }

    @Test
    void eachConnectionIsPingedOncePerRoundAndTheRoundIsSpread() {
        int slots = 25;
        int connections = 10_000;
        int[] perSlot = new int[slots];
        for (int i = 1; i <= connections; i++) {
            String id = "node-a1-" + Long.toString(i, 36); // the shape ConnectionOpener gives ids
            int times = 0;
            for (int slot = 0; slot < slots; slot++) {
                if (Heartbeats.pingsNow(id, slot, slots)) {
                    times++;
                    perSlot[slot]++;
                }
            }
            assertEquals(1, times, id);
        }
        for (int slot = 0; slot < slots; slot++) {
            assertTrue(perSlot[slot] <= 2 * connections / slots, "slot " + slot + " pings " + perSlot[slot]);
            assertTrue(perSlot[slot] >= connections / slots / 2, "slot " + slot + " pings " + perSlot[slot]);
        }
    }
}
