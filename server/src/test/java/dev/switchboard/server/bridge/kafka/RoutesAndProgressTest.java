package dev.switchboard.server.bridge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The pure parts of the bridge: route parsing and mapping, and when a partition's offset may be committed. */
class RoutesAndProgressTest {

    private static ConsumerRecord<byte[], byte[]> record(String key, String value) {
        return new ConsumerRecord<>("orders", 2, 41, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void routesMapRecordsToChannelsAndSayWhyNot() throws Exception {
        ConsumeRoute byKey = ConsumeRoute.parse("orders,returns->orders:{key}");
        assertEquals(List.of("orders", "returns"), byKey.topics());
        assertEquals("orders:o-1", byKey.map(record("o-1", "{\"a\":1}")).channel());
        assertEquals(1, byKey.map(record("o-1", "{\"a\":1}")).data().get("a").asInt());
        assertEquals("no_channel", assertThrows(Unbridgeable.class, () -> byKey.map(record(null, "{}"))).reason());
        assertEquals("invalid_json", assertThrows(Unbridgeable.class, () -> byKey.map(record("k", "{oops"))).reason());
        assertEquals("bad_channel", assertThrows(Unbridgeable.class, () -> byKey.map(record("two words", "{}"))).reason());

        ConsumeRoute byField = ConsumeRoute.parse("orders->p{partition}:{value.customer.id}");
        assertEquals("p2:c-9", byField.map(record(null, "{\"customer\":{\"id\":\"c-9\"}}")).channel());
        ConsumeRoute raw = ConsumeRoute.parse("orders->raw;data=string");
        assertEquals("not json at all", raw.map(record(null, "not json at all")).data().asText());
        assertTrue(raw.map(record(null, null)).data().isNull(), "a tombstone is published as null");
    }

    @Test
    void badRoutesAreRefusedWithASentence() {
        for (String bad : List.of("orders", "->x", "orders->", "orders->x:{nope}", "orders->x:{key", "orders->x;data=xml")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConsumeRoute.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ProduceRoute.parse("chat:*"));
        assertTrue(ProduceRoute.parse("chat:*->events").takes("chat:lobby"));
    }

    @Test
    void theCommittableOffsetNeverPassesARecordThatIsNotStored() {
        PartitionProgress p = new PartitionProgress(10);
        assertEquals(10, p.committable());
        int g = p.begin(10);
        p.begin(11);
        int g12 = p.begin(12);
        p.done(g12, 12, false); // skipped: nothing to store
        p.begin(13);
        p.done(g, 11, false);
        assertEquals(10, p.committable(), "10 is still in flight");
        p.done(g, 10, false);
        assertEquals(13, p.committable(), "12 was skipped, 13 is in flight");
        p.done(g, 13, false);
        assertEquals(14, p.committable());
        assertTrue(p.advance(14));
        assertTrue(!p.advance(14), "nothing new to commit");

        p.begin(14);
        p.begin(15);
        p.done(g, 15, true);
        p.done(g, 14, false);
        assertEquals(15, p.committable(), "pinned at the failed record");
        assertEquals(15, p.takeFailure());
        assertEquals(-1, p.takeFailure());
        p.done(g, 15, false); // a late completion from before the seek: ignored
        int g2 = p.begin(15);
        assertEquals(15, p.committable());
        p.done(g2, 15, false);
        assertEquals(16, p.committable());
    }
}
