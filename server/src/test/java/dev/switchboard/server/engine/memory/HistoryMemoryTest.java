package dev.switchboard.server.engine.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.engine.BrokerListener;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.protocol.Publication;
import dev.switchboard.server.engine.RetentionRules;
import dev.switchboard.server.engine.Target;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * History memory is bounded in bytes, and a publication costs about its encoded size: a hostile client
 * publishing 64 KiB of {@code [{},{},…]} (a tree of many small nodes) used to add ~31× that in live heap.
 */
class HistoryMemoryTest {

    static final BrokerListener QUIET = new BrokerListener() {
        @Override
        public void onPublication(Publication publication) {
        }

        @Override
        public void onDelivery(Target target, byte[] frame) {
        }

        @Override
        public void onDisconnect(Target target, int code, String reason) {
        }
    };

    /** 64 KiB of text that parses into ~16,000 objects. */
    static JsonNode amplifier() {
        StringBuilder sb = new StringBuilder("[");
        while (sb.length() < 64 * 1024 - 4) {
            sb.append("{},");
        }
        sb.append("{}]");
        return Json.parse(sb.toString());
    }

    static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc(); // the measurement itself: live heap after a full collection
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void retainedHistoryCostsAboutItsEncodedSize() throws Exception {
        try (MemoryBroker broker = new MemoryBroker(RetentionRules.parse("*=1000/10m"), Clock.systemUTC(), 64L << 20, 256L << 20)) {
            broker.start(QUIET);
            JsonNode data = amplifier();
            long published = 0;
            long before = liveHeap();
            for (int i = 0; i < 100; i++) {
                broker.publish("room:hostile", "mallory", data, null).get();
                published += Json.bytes(data).length;
            }
            long added = liveHeap() - before;
            java.lang.ref.Reference.reachabilityFence(data); // the published tree itself is not history's cost
            double ratio = (double) added / published;
            System.out.printf("history: %d KiB published, %d KiB live heap added (%.2fx)%n", published >> 10, added >> 10, ratio);
            assertTrue(ratio <= 3.0, "live heap per byte published: " + ratio);
            assertEquals(100, broker.history("room:hostile", new HistoryQuery(null, -1, false)).get().publications().size());
        }
    }

    @Test
    void aChannelKeepsNoMoreBytesThanItsBound() throws Exception {
        try (MemoryBroker broker = new MemoryBroker(RetentionRules.parse("*=1000/10m"), Clock.systemUTC(), 1L << 20, 256L << 20)) {
            broker.start(QUIET);
            JsonNode data = amplifier();
            for (int i = 0; i < 100; i++) {
                broker.publish("room:big", null, data, null).get();
            }
            assertTrue(broker.retainedBytes() <= (1L << 20), "retained " + broker.retainedBytes());
            var page = broker.history("room:big", new HistoryQuery(null, -1, false)).get();
            assertEquals(100, page.publications().get(page.publications().size() - 1).offset(), "the newest are kept");
            assertTrue(page.publications().size() >= 14, "as many as fit: " + page.publications().size());
        }
    }

    @Test
    void theNodeKeepsNoMoreBytesThanItsBudgetAcrossChannels() throws Exception {
        try (MemoryBroker broker = new MemoryBroker(RetentionRules.parse("*=1000/10m"), Clock.systemUTC(), 64L << 20, 2L << 20)) {
            broker.start(QUIET);
            JsonNode data = amplifier();
            for (int i = 0; i < 40; i++) {
                broker.publish("room:a", null, data, null).get();
                broker.publish("room:b", null, data, null).get();
            }
            broker.sweep();
            assertTrue(broker.retainedBytes() <= (2L << 20), "retained " + broker.retainedBytes());
            assertTrue(broker.history("room:a", new HistoryQuery(null, -1, false)).get().publications().size() >= 1);
            assertTrue(broker.history("room:b", new HistoryQuery(null, -1, false)).get().publications().size() >= 1);
        }
    }

    @Test
    void aFreshIdempotencyKeyWithEveryPublicationCostsNoMoreThanTheChannelsBytes() throws Exception {
        // history off: before the keys were counted, 300,000 keys held for the 5-minute window took ~60 MB here
        long bound = 4L << 20;
        try (MemoryBroker broker = new MemoryBroker(RetentionRules.parse("*=0"), Clock.systemUTC(), bound, 256L << 20)) {
            broker.start(QUIET);
            JsonNode data = Json.object().put("n", 1);
            long before = liveHeap();
            for (int i = 0; i < 300_000; i++) {
                broker.publish("feed:firehose", "backend", data, "request-" + java.util.UUID.randomUUID()).get();
            }
            long added = liveHeap() - before;
            System.out.printf("keys: %d KiB counted, %d KiB live heap added%n", broker.retainedBytes() >> 10, added >> 10);
            assertTrue(broker.retainedBytes() <= bound, "counted " + broker.retainedBytes());
            assertTrue(added <= 2 * bound, "live heap added: " + added + " B (the count must not undercount a key)");
            assertTrue(added >= bound / 4, "the keys are held, not dropped: " + added + " B");
        }
    }
}
