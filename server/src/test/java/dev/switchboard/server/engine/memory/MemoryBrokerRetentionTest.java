package dev.switchboard.server.engine.memory;

import dev.switchboard.protocol.Publication;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.server.engine.RecordingListener;
import dev.switchboard.server.engine.RetentionRules;
import dev.switchboard.protocol.StreamPosition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Memory stays bounded in the in-memory engine: per channel by the ring, across channels by idle eviction. */
class MemoryBrokerRetentionTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private volatile long millis = 1_000_000;

        void advance(Duration d) {
            millis += d.toMillis();
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void aHighPublishRateNeverRetainsMoreThanThePolicySize() throws Exception {
        ManualClock clock = new ManualClock();
        try (MemoryBroker e = new MemoryBroker(RetentionRules.parse("*=100/5m"), clock)) {
            e.start(new dev.switchboard.server.engine.BrokerListener() {
                @Override
                public void onPublication(dev.switchboard.protocol.Publication p) {
                    // dropped: this test is about what the engine keeps
                }

                @Override
                public void onDelivery(dev.switchboard.server.engine.Target t, byte[] frame) {
                }

                @Override
                public void onDisconnect(dev.switchboard.server.engine.Target t, int code, String reason) {
                }
            });
            for (int i = 1; i <= 200_000; i++) {
                e.publish("hot", null, IntNode.valueOf(i), null);
            }
            assertEquals(100, e.retainedCount());
            HistoryPage<Publication> page = e.history("hot", new HistoryQuery(null, -1, false)).get();
            assertEquals(199_901, page.publications().get(0).offset());
            assertEquals(200_000, page.position().offset());
        }
    }

    @Test
    void manyChannelsAreForgottenOnceIdleAndComeBackUnderANewEpoch() throws Exception {
        ManualClock clock = new ManualClock();
        RetentionRules rules = RetentionRules.parse("*=10/1m").withMetaTtl(Duration.ofMinutes(10));
        try (MemoryBroker e = new MemoryBroker(rules, clock)) {
            e.start(new RecordingListener());
            for (int c = 0; c < 50_000; c++) {
                e.publish("room:" + c, null, IntNode.valueOf(c), null);
            }
            StreamPosition before = e.position("room:7").get();
            assertEquals(50_000, e.channelCount());

            clock.advance(Duration.ofMinutes(2));
            e.sweep();
            assertEquals(0, e.retainedCount(), "publications older than the age limit are dropped");
            assertEquals(50_000, e.channelCount(), "counters outlive their messages until the meta TTL");
            assertEquals(before, e.position("room:7").get());

            clock.advance(Duration.ofMinutes(11));
            e.sweep();
            assertEquals(0, e.channelCount(), "idle channels are forgotten");

            StreamPosition after = e.position("room:7").get();
            assertEquals(0, after.offset());
            assertNotEquals(before.epoch(), after.epoch(), "a forgotten channel starts a new epoch");
            HistoryPage<Publication> recovery = e.history("room:7", new HistoryQuery(before.offset(), -1, false)).get();
            assertNotEquals(before.epoch(), recovery.position().epoch());
        }
    }

    @Test
    void aRestartedEngineHasNewEpochs() throws Exception {
        String first;
        try (MemoryBroker e = new MemoryBroker()) {
            e.start(new RecordingListener());
            first = e.publish("chat:x", null, IntNode.valueOf(1), null).get().epoch();
        }
        try (MemoryBroker e = new MemoryBroker()) {
            e.start(new RecordingListener());
            assertNotEquals(first, e.position("chat:x").get().epoch());
        }
    }

    @Test
    void retentionRulesMatchByPatternWithADefault() {
        RetentionRules rules = RetentionRules.parse("chat:*=1000/10m, tmp:*=0, *=50/30s");
        assertEquals(1000, rules.policyFor("chat:lobby").size());
        assertEquals(Duration.ofMinutes(10), rules.policyFor("chat:lobby").ttl());
        assertFalse(rules.policyFor("tmp:x").enabled());
        assertEquals(50, rules.policyFor("other").size());
        assertEquals(Duration.ofSeconds(30), rules.policyFor("other").ttl());
        assertTrue(rules.metaTtl().compareTo(Duration.ofMinutes(10)) >= 0);
        assertEquals(100, RetentionRules.parse("").policyFor("x").size());
    }
}
