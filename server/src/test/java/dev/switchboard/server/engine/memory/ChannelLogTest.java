package dev.switchboard.server.engine.memory;

import dev.switchboard.protocol.Publication;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.server.engine.HistoryPolicy;
import java.time.Duration;
import dev.switchboard.server.engine.HistoryQuery;
import org.junit.jupiter.api.Test;

class ChannelLogTest {

    @Test
    void offsetsHaveNoGapsAndTheRingIsBounded() {
        ChannelLog log = new ChannelLog("c", "e1", new HistoryPolicy(10, Duration.ofMillis(0)), 0, 60_000);
        for (int i = 1; i <= 1000; i++) {
            assertEquals(i, log.append("u", Json.toTree(i), i).offset());
        }
        HistoryPage<Publication> all = log.read(new HistoryQuery(null, -1, false), 1000);
        assertEquals(10, all.publications().size());
        assertEquals(991, all.publications().get(0).offset());
        assertEquals(1000, all.position().offset());
    }

    @Test
    void sinceTellsWhetherNothingWasLost() {
        ChannelLog log = new ChannelLog("c", "e1", new HistoryPolicy(10, Duration.ofMillis(0)), 0, 60_000);
        for (int i = 1; i <= 30; i++) {
            log.append(null, Json.toTree(i), i);
        }
        assertTrue(log.read(new HistoryQuery(25L, -1, false), 30).complete());
        assertEquals(5, log.read(new HistoryQuery(25L, -1, false), 30).publications().size());
        assertTrue(log.read(new HistoryQuery(20L, -1, false), 30).complete(), "offset 21 is still retained");
        assertFalse(log.read(new HistoryQuery(5L, -1, false), 30).complete(), "6..20 were evicted");
    }

    @Test
    void ageRetention() {
        ChannelLog log = new ChannelLog("c", "e1", new HistoryPolicy(100, Duration.ofMillis(1000)), 0, 60_000);
        log.append(null, Json.toTree(1), 0);
        log.append(null, Json.toTree(2), 5000);
        HistoryPage<Publication> page = log.read(new HistoryQuery(null, -1, false), 5500);
        assertEquals(1, page.publications().size());
        assertEquals(2, page.publications().get(0).offset());
    }

    @Test
    void reverseAndLimit() {
        ChannelLog log = new ChannelLog("c", "e1", new HistoryPolicy(100, Duration.ofMillis(0)), 0, 60_000);
        for (int i = 1; i <= 5; i++) {
            log.append(null, Json.toTree(i), i);
        }
        HistoryPage<Publication> page = log.read(new HistoryQuery(null, 2, true), 10);
        assertEquals(5, page.publications().get(0).offset());
        assertEquals(4, page.publications().get(1).offset());
        assertEquals(0, log.read(HistoryQuery.positionOnly(), 10).publications().size());
    }

    @Test
    void zeroCapacityKeepsOffsetsButNoHistory() {
        ChannelLog log = new ChannelLog("c", "e1", new HistoryPolicy(0, Duration.ofMillis(0)), 0, 60_000);
        log.append(null, Json.toTree(1), 1);
        HistoryPage<Publication> page = log.read(new HistoryQuery(0L, -1, false), 2);
        assertEquals(0, page.publications().size());
        assertFalse(page.complete());
        assertEquals(1, page.position().offset());
    }

    @Test
    void aProducersSequenceCostsOneFenceNotAKeyPerPublication() {
        ChannelLog log = new ChannelLog("feed:1", "e", new HistoryPolicy(100, Duration.ofMinutes(5)), 0, Duration.ofMinutes(5).toMillis());
        for (long n = 0; n < 10_000; n++) {
            dev.switchboard.server.engine.BatchEntry e = new dev.switchboard.server.engine.BatchEntry("bridge",
                    Json.object().put("n", n), null, new dev.switchboard.server.engine.BatchEntry.Sequence("t/0", n));
            assertEquals(null, log.replayOf(e, n));
            log.append(e, n);
        }
        assertEquals(1, log.remembered(), "10,000 records of one partition: one fence (keys would be 10,000 for 5 min)");
        Publication repeat = log.replayOf(new dev.switchboard.server.engine.BatchEntry("bridge", Json.object(), null,
                new dev.switchboard.server.engine.BatchEntry.Sequence("t/0", 42)), 10_000);
        assertEquals(10_000, repeat.offset(), "a repeat is answered by the producer's last publication");
    }
}
