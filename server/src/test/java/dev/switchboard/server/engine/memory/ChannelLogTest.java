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

    @Test
    void freshKeysWithEveryPublicationStayWithinTheChannelsBytesOldestForgottenFirst() {
        long maxBytes = 1 << 20;
        MemoryBudget node = new MemoryBudget(Long.MAX_VALUE);
        ChannelLog log = new ChannelLog("orders", "e", HistoryPolicy.NONE, 0, maxBytes, node, Duration.ofMinutes(5).toMillis());
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            String key = "backend-retry-key-" + i;
            assertEquals(null, log.replayOf(key, i));
            log.append("api", Json.object().put("i", i), i, key);
            assertTrue(log.retainedBytes() <= maxBytes, "within the channel's bytes after publication " + i);
        }
        assertEquals(log.retainedBytes(), node.used(), "charged to the node as well");
        long kept = maxBytes / RecentKeys.cost("backend-retry-key-99999");
        assertTrue(log.remembered() >= kept * 9 / 10 && log.remembered() <= kept,
                "as many keys as the bytes hold: " + log.remembered() + " of ~" + kept);
        assertEquals(n, log.replayOf("backend-retry-key-" + (n - 1), n).offset(), "the newest is still recognised");
        assertEquals(null, log.replayOf("backend-retry-key-0", n), "the oldest was given back first");
        log.release();
        assertEquals(0, node.used(), "forgetting the log returns the keys' bytes");
    }

    @Test
    void keysAndHistoryGiveBackOldestFirstAndExpiryReturnsTheKeysBytes() {
        MemoryBudget node = new MemoryBudget(Long.MAX_VALUE);
        long window = 1_000;
        ChannelLog log = new ChannelLog("chat", "e", new HistoryPolicy(1_000, Duration.ofMinutes(5)), 0, 64L << 10, node, window);
        for (int i = 0; i < 2_000; i++) {
            log.append("api", Json.object().put("text", "x".repeat(100)), i / 10, i % 2 == 0 ? "k" + i : null);
            assertTrue(log.retainedBytes() <= 64L << 10);
        }
        HistoryPage<Publication> page = log.read(new HistoryQuery(null, -1, false), 199);
        long oldestKept = page.publications().get(0).ts();
        assertTrue(page.publications().size() < 1_000, "the bytes bound history too: " + page.publications().size());
        for (int i = 0; i < 2_000; i += 2) {
            if (i / 10 >= oldestKept) {
                assertTrue(log.replayOf("k" + i, 199) != null, "a key no older than the oldest retained publication is held: k" + i);
            }
        }
        assertEquals(null, log.replayOf("k0", 199), "older keys went with the older publications");
        long before = node.used();
        log.expire(199 + window + 1);
        assertEquals(0, log.remembered(), "every key is past the window");
        assertTrue(node.used() < before, "and their bytes are given back");
    }

    @Test
    void aKeyUsedAgainAfterItsWindowIsRememberedAsNewAndExpiresInTimeOrder() {
        MemoryBudget node = new MemoryBudget(Long.MAX_VALUE);
        ChannelLog log = new ChannelLog("c", "e", HistoryPolicy.NONE, 0, 1L << 20, node, 100);
        log.append("api", Json.object(), 0, "a");
        log.append("api", Json.object(), 50, "b");
        assertEquals(null, log.replayOf("a", 101), "past its window");
        log.append("api", Json.object(), 101, "a"); // before any expiry ran
        assertEquals(3, log.replayOf("a", 120).offset(), "the new publication answers it");
        log.expire(151);
        assertEquals(null, log.replayOf("b", 151));
        assertEquals(1, log.remembered(), "b expired although it was remembered after the first a");
        assertEquals(RecentKeys.cost("a"), node.used(), "one key charged, once");
    }
}
