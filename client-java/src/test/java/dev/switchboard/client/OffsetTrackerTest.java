package dev.switchboard.client;

import dev.switchboard.protocol.StreamPosition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    @Test
    void dropsOffsetsAlreadyDeliveredWithinAnEpoch() {
        OffsetTracker t = new OffsetTracker();
        assertNull(t.position());
        assertTrue(t.accept(5, "e1"));
        assertTrue(t.accept(6, "e1"));
        assertFalse(t.accept(6, "e1"), "the same offset twice");
        assertFalse(t.accept(4, "e1"), "an older offset");
        assertTrue(t.accept(9, "e1"), "a gap is still new");
        assertEquals(new StreamPosition(9, "e1"), t.position());
    }

    @Test
    void aNewEpochRestartsOffsets() {
        OffsetTracker t = new OffsetTracker();
        t.accept(50, "e1");
        assertTrue(t.accept(1, "e2"), "offsets of a new history epoch start over");
        assertFalse(t.accept(1, "e2"));
        assertEquals(new StreamPosition(1, "e2"), t.position());
    }

    @Test
    void advanceToMovesForwardOnlyWithinAnEpoch() {
        OffsetTracker t = new OffsetTracker();
        t.advanceTo(10, "e1");
        assertFalse(t.accept(10, "e1"), "the subscribe reply's top is already seen");
        assertTrue(t.accept(11, "e1"));
        t.advanceTo(8, "e1");
        assertEquals(new StreamPosition(11, "e1"), t.position(), "never backwards");
        t.advanceTo(3, "e2");
        assertEquals(new StreamPosition(3, "e2"), t.position(), "a new epoch re-bases");
    }
}
