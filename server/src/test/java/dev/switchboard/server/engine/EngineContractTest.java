package dev.switchboard.server.engine;

import dev.switchboard.protocol.PresenceEntry;

import dev.switchboard.protocol.Publication;


import dev.switchboard.server.support.Poll;
import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.protocol.HistoryPage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every engine ({@link Broker} with {@link PresenceManager}) must do, run against each implementation: offsets, history and retention,
 * epochs, fan-out to subscribed nodes, targeted deliveries, presence.
 */
public abstract class EngineContractTest {

    /** Retention used by these tests: {@code short:*} ages out after 1 s, {@code none:*} keeps nothing. */
    protected static final RetentionRules RULES = RetentionRules.parse("short:*=50/1s, none:*=0, small:*=10/5m, *=100/5m");

    private final List<EngineNode> started = new ArrayList<>();

    /** A new started engine ("node") on the shared backend. */
    protected abstract EngineNode newEngine(RetentionRules rules, RecordingListener listener);

    protected EngineNode engine(RecordingListener listener) {
        EngineNode e = newEngine(RULES, listener);
        started.add(e);
        return e;
    }

    /**
     * An engine whose channels hold at most {@code keys} idempotency keys as long as {@code "key-1"} (the memory
     * engine bounds bytes, Redis a count); the base registers it for closing.
     */
    protected abstract EngineNode newEngineWithKeyBound(RetentionRules rules, int keys, RecordingListener listener);

    @Test
    void aChannelHoldsItsNewestIdempotencyKeysWithinItsBoundTheOldestGoFirst() throws Exception {
        EngineNode a = newEngineWithKeyBound(RULES, 3, new RecordingListener());
        started.add(a);
        String ch = channel("none:"); // no history: only the keys count
        for (int i = 1; i <= 5; i++) {
            assertEquals(i, await(a.publish(ch, "api", IntNode.valueOf(i), "key-" + i)).offset());
        }
        for (int i = 3; i <= 5; i++) {
            assertEquals(i, await(a.publish(ch, "api", IntNode.valueOf(i), "key-" + i)).offset(), "key-" + i + " is held");
        }
        assertEquals(6, await(a.publish(ch, "api", IntNode.valueOf(1), "key-1")).offset(),
                "key-1 was given back, the oldest: its repeat publishes again");
        assertEquals(4, await(a.publish(ch, "api", IntNode.valueOf(4), "key-4")).offset(), "key-4 is still held");
    }

    @AfterEach
    void closeEngines() {
        started.forEach(EngineNode::close);
    }

    protected static String channel(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void offsetsStartAtOneAndIncreaseByOneUnderOneEpoch() throws Exception {
        RecordingListener l = new RecordingListener();
        EngineNode e = engine(l);
        String ch = channel("chat:");
        await(e.subscribe(ch));
        List<Publication> pubs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pubs.add(await(e.publish(ch, "alice", IntNode.valueOf(i))));
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, pubs.get(i).offset());
            assertEquals(pubs.get(0).epoch(), pubs.get(i).epoch());
            assertEquals("alice", pubs.get(i).from());
            assertTrue(pubs.get(i).ts() > 0);
        }
        List<Publication> got = l.take(ch, 5, 10);
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, got.get(i).offset());
            assertEquals(i, got.get(i).data().asInt());
        }
        assertEquals(new StreamPosition(5, pubs.get(0).epoch()), await(e.position(ch)));
    }

    @Test
    void emptyChannelHasAStableEpochThatItsFirstPublicationCarries() throws Exception {
        EngineNode e = engine(new RecordingListener());
        String ch = channel("chat:");
        StreamPosition before = await(e.position(ch));
        assertEquals(0, before.offset());
        Publication p = await(e.publish(ch, null, TextNode.valueOf("x")));
        assertEquals(before.epoch(), p.epoch());
        assertNull(p.from());
        HistoryPage<Publication> page = await(e.history(ch, new HistoryQuery(0L, -1, false)));
        assertTrue(page.complete(), "a subscriber at offset 0 of this epoch can recover");
        assertEquals(1, page.publications().size());
    }

    @Test
    void historyReadsForwardBackwardSinceAndLimit() throws Exception {
        EngineNode e = engine(new RecordingListener());
        String ch = channel("chat:");
        for (int i = 1; i <= 10; i++) {
            await(e.publish(ch, "bob", Json.parse("{\"n\":" + i + "}")));
        }
        HistoryPage<Publication> all = await(e.history(ch, new HistoryQuery(null, -1, false)));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), offsets(all));
        assertEquals(10, all.position().offset());
        assertEquals(7, all.publications().get(6).data().path("n").asInt());
        assertEquals("bob", all.publications().get(6).from());

        assertEquals(List.of(5L, 6L, 7L), offsets(await(e.history(ch, new HistoryQuery(4L, 3, false)))));
        assertEquals(List.of(10L, 9L), offsets(await(e.history(ch, new HistoryQuery(null, 2, true)))));
        assertEquals(List.of(10L, 9L, 8L), offsets(await(e.history(ch, new HistoryQuery(7L, -1, true)))));
        assertEquals(List.of(), offsets(await(e.history(ch, new HistoryQuery(10L, -1, false)))));
        HistoryPage<Publication> positionOnly = await(e.history(ch, HistoryQuery.positionOnly()));
        assertEquals(List.of(), offsets(positionOnly));
        assertEquals(10, positionOnly.position().offset());
    }

    @Test
    void sizeRetentionKeepsTheNewestAndReportsIncompleteRecovery() throws Exception {
        EngineNode e = engine(new RecordingListener());
        String ch = channel("small:");
        for (int i = 1; i <= 25; i++) {
            await(e.publish(ch, null, IntNode.valueOf(i)));
        }
        HistoryPage<Publication> all = await(e.history(ch, new HistoryQuery(null, -1, false)));
        assertEquals(List.of(16L, 17L, 18L, 19L, 20L, 21L, 22L, 23L, 24L, 25L), offsets(all));
        HistoryPage<Publication> fromLost = await(e.history(ch, new HistoryQuery(3L, -1, false)));
        assertFalse(fromLost.complete(), "offsets 4..15 are gone");
        assertEquals(16, fromLost.publications().get(0).offset());
        assertTrue(await(e.history(ch, new HistoryQuery(15L, -1, false))).complete());
        assertTrue(await(e.history(ch, new HistoryQuery(25L, -1, false))).complete());
    }

    @Test
    void ageRetentionDropsOldPublicationsButKeepsTheOffsetCounter() throws Exception {
        EngineNode e = engine(new RecordingListener());
        String ch = channel("short:");
        await(e.publish(ch, null, IntNode.valueOf(1)));
        await(e.publish(ch, null, IntNode.valueOf(2)));
        assertEquals(2, await(e.history(ch, new HistoryQuery(null, -1, false))).publications().size());
        Poll.until("condition", Duration.ofSeconds(10), () -> {
            try {
                return await(e.history(ch, new HistoryQuery(null, -1, false))).publications().isEmpty();
            } catch (Exception ex) {
                throw new AssertionError(ex);
            }
        });
        Publication third = await(e.publish(ch, null, IntNode.valueOf(3)));
        assertEquals(3, third.offset(), "expiry of messages must not reset offsets");
        HistoryPage<Publication> page = await(e.history(ch, new HistoryQuery(0L, -1, false)));
        assertFalse(page.complete());
        assertEquals(List.of(3L), offsets(page));
    }

    @Test
    void zeroRetentionStoresNothingButStillNumbersAndDelivers() throws Exception {
        RecordingListener l = new RecordingListener();
        EngineNode e = engine(l);
        String ch = channel("none:");
        await(e.subscribe(ch));
        await(e.publish(ch, null, IntNode.valueOf(1)));
        Publication second = await(e.publish(ch, null, IntNode.valueOf(2)));
        assertEquals(2, second.offset());
        assertEquals(2, l.take(ch, 2, 10).size());
        HistoryPage<Publication> page = await(e.history(ch, new HistoryQuery(0L, -1, false)));
        assertEquals(List.of(), offsets(page));
        assertFalse(page.complete());
        assertTrue(await(e.history(ch, new HistoryQuery(2L, -1, false))).complete());
    }

    @Test
    void concurrentPublishersGetDistinctGaplessOffsetsDeliveredInOrder() throws Exception {
        RecordingListener l = new RecordingListener();
        EngineNode a = engine(l);
        EngineNode b = engine(new RecordingListener());
        String ch = channel("chat:");
        await(a.subscribe(ch));
        int perPublisher = 300;
        List<CompletableFuture<Publication>> futures = new ArrayList<>();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            EngineNode via = t % 2 == 0 ? a : b;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < perPublisher; i++) {
                    CompletableFuture<Publication> f = via.publish(ch, null, IntNode.valueOf(i));
                    synchronized (futures) {
                        futures.add(f);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        int total = perPublisher * threads.length;
        Set<Long> offsets = new HashSet<>();
        for (CompletableFuture<Publication> f : futures) {
            offsets.add(await(f).offset());
        }
        assertEquals(total, offsets.size(), "no duplicate offsets");
        assertEquals(1L, offsets.stream().mapToLong(Long::longValue).min().orElseThrow());
        assertEquals(total, offsets.stream().mapToLong(Long::longValue).max().orElseThrow(), "no gaps");
        List<Publication> received = l.take(ch, total, 30);
        for (int i = 0; i < total; i++) {
            assertEquals(i + 1, received.get(i).offset(), "subscriber sees offsets in order");
        }
    }

    @Test
    void aRepeatedIdempotencyKeyIsStoredAndDeliveredOnceWhicheverNodeRepeatsIt() throws Exception {
        RecordingListener l = new RecordingListener();
        EngineNode a = engine(l);
        EngineNode b = engine(new RecordingListener());
        String ch = channel("chat:");
        await(a.subscribe(ch));
        Publication first = await(a.publish(ch, "bridge", TextNode.valueOf("one"), "orders/0/41"));
        Publication again = await(b.publish(ch, "bridge", TextNode.valueOf("one"), "orders/0/41"));
        assertEquals(first.offset(), again.offset(), "the repeat answers with the first publication");
        assertEquals(first.epoch(), again.epoch());
        Publication other = await(b.publish(ch, "bridge", TextNode.valueOf("two"), "orders/0/42"));
        Publication plain = await(a.publish(ch, null, TextNode.valueOf("three")));
        assertEquals(first.offset() + 1, other.offset());
        assertEquals(first.offset() + 2, plain.offset(), "a publish without a key is never deduplicated");
        List<Publication> got = l.take(ch, 3, 10);
        assertEquals(List.of("one", "two", "three"), got.stream().map(p -> p.data().asText()).toList(),
                "the repeat was not delivered");
        assertEquals(List.of(1L, 2L, 3L), offsets(await(a.history(ch, new HistoryQuery(null, -1, false)))));
        assertEquals(first.offset(), await(a.publish(ch, "bridge", TextNode.valueOf("one"), "orders/0/41")).offset(),
                "still recognised after other publications");
    }

    @Test
    void aBatchIsPublishedInOrderEachEntryWithItsOwnKeyAndARepeatInsideItIsAnsweredByTheFirst() throws Exception {
        RecordingListener l = new RecordingListener();
        EngineNode a = engine(l);
        EngineNode b = engine(new RecordingListener());
        String ch = channel("chat:");
        await(a.subscribe(ch));
        Publication before = await(a.publish(ch, "bridge", TextNode.valueOf("zero"), "t/0/9"));
        List<Publication> batch = await(b.publishBatch(ch, List.of(
                new BatchEntry("bridge", TextNode.valueOf("again"), "t/0/9"), // seen before the batch
                new BatchEntry("bridge", TextNode.valueOf("one"), "t/0/10"),
                new BatchEntry("bridge", TextNode.valueOf("plain"), null),
                new BatchEntry("bridge", TextNode.valueOf("one-again"), "t/0/10")))); // seen inside the batch
        assertEquals(List.of(before.offset(), 2L, 3L, 2L), batch.stream().map(Publication::offset).toList());
        assertTrue(batch.stream().allMatch(p -> p.epoch().equals(before.epoch())));
        assertEquals(List.of("zero", "one", "plain"), l.take(ch, 3, 10).stream().map(p -> p.data().asText()).toList());
        assertEquals(List.of(1L, 2L, 3L), offsets(await(a.history(ch, new HistoryQuery(null, -1, false)))));
        assertEquals(4, await(a.publish(ch, "bridge", TextNode.valueOf("next"), "t/0/11")).offset());
    }

    @Test
    void aProducersSequenceFencesItsRepeatsOnAnyNodeWithoutAKeyPerPublication() throws Exception {
        RecordingListener l = new RecordingListener();
        EngineNode a = engine(l);
        EngineNode b = engine(new RecordingListener());
        String ch = channel("feed:");
        await(a.subscribe(ch));
        List<Publication> first = await(a.publishBatch(ch, List.of(seq("t/0", 10, "a"), seq("t/0", 11, "b"),
                seq("t/1", 3, "x"))));
        assertEquals(List.of(1L, 2L, 3L), first.stream().map(Publication::offset).toList());
        // another node reads the partitions again from an older offset (a crash before the commit): the repeats
        // are answered by the producer's last publication, the new ones published, gaps in numbers allowed
        List<Publication> again = await(b.publishBatch(ch, List.of(seq("t/0", 10, "a"), seq("t/0", 11, "b"),
                seq("t/0", 15, "c"), seq("t/1", 3, "x"), seq("t/1", 4, "y"), seq("t/0", 15, "c"))));
        assertEquals(List.of(2L, 2L, 4L, 3L, 5L, 4L), again.stream().map(Publication::offset).toList());
        assertEquals(List.of("a", "b", "x", "c", "y"), l.take(ch, 5, 10).stream().map(p -> p.data().asText()).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), offsets(await(a.history(ch, new HistoryQuery(null, -1, false)))));
        assertEquals(6, await(a.publishBatch(ch, List.of(seq("t/0", 1L << 50, "big")))).get(0).offset());
        assertEquals(6, await(b.publishBatch(ch, List.of(seq("t/0", 1L << 50, "big")))).get(0).offset(),
                "a number past Lua's printable integers is fenced exactly");
    }

    private static BatchEntry seq(String producer, long number, String text) {
        return new BatchEntry("bridge", TextNode.valueOf(text), null, new BatchEntry.Sequence(producer, number));
    }

    @Test
    void deliveriesAndDisconnectsReachTheListener() throws Exception {
        RecordingListener l = new RecordingListener();
        EngineNode e = engine(l);
        Target t = Target.user("alice");
        await(e.deliver(t, "{\"type\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        RecordingListener.Delivery d = l.deliveries.poll(10, TimeUnit.SECONDS);
        assertEquals(new RecordingListener.Delivery(t, "{\"type\":\"x\"}"), d);
        Target all = Target.all("/ws", "conn-1");
        await(e.disconnect(all, 4003, "kicked"));
        assertEquals(new RecordingListener.Disconnect(all, 4003, "kicked"), l.disconnects.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void presenceCountsConnectionsAndReportsFirstJoinAndLastLeave() throws Exception {
        EngineNode e = engine(new RecordingListener());
        String ch = channel("chat:");
        assertTrue(await(e.join(ch, "alice", "c1")));
        assertFalse(await(e.join(ch, "alice", "c2")), "second tab is not a join");
        assertFalse(await(e.join(ch, "alice", "c2")), "joining twice is idempotent");
        assertTrue(await(e.join(ch, "bob", "c3")));
        assertEquals(List.of(new PresenceEntry("alice", 2), new PresenceEntry("bob", 1)), await(e.presence(ch)));
        assertFalse(await(e.leave(ch, "alice", "c1")));
        assertFalse(await(e.leave(ch, "alice", "c1")), "leaving twice is not a second leave");
        assertTrue(await(e.leave(ch, "alice", "c2")));
        assertEquals(List.of(new PresenceEntry("bob", 1)), await(e.presence(ch)));
        assertTrue(e.isReady());
    }

    @Test
    void presenceKeepsWhatAJoiningConnectionSaidAboutItsUserWhileTheUserIsThere() throws Exception {
        EngineNode e = engine(new RecordingListener());
        String ch = channel("presence-");
        var info = dev.switchboard.protocol.Json.parse("{\"name\":\"Alice\",\"seat\":3}");
        assertTrue(await(e.join(ch, "alice", "c1", info)));
        assertFalse(await(e.join(ch, "alice", "c2", null)), "a second tab without info keeps the first's");
        assertTrue(await(e.join(ch, "bob", "c3")));
        assertEquals(List.of(new PresenceEntry("alice", 2, info), new PresenceEntry("bob", 1)), await(e.presence(ch)));
        await(e.leave(ch, "alice", "c1"));
        assertTrue(await(e.leave(ch, "alice", "c2")));
        assertTrue(await(e.join(ch, "alice", "c4")));
        assertEquals(List.of(new PresenceEntry("alice", 1), new PresenceEntry("bob", 1)), await(e.presence(ch)),
                "the info left with the user");
    }

    protected static List<Long> offsets(HistoryPage<Publication> page) {
        return page.publications().stream().map(Publication::offset).toList();
    }

    /** Polls {@code condition} every 50 ms until it holds, failing after {@code timeout}. */
}
