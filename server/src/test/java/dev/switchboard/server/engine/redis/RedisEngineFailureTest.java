package dev.switchboard.server.engine.redis;

import dev.switchboard.server.support.Poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.switchboard.server.engine.EngineUnavailableException;
import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.protocol.PresenceEntry;
import dev.switchboard.protocol.Publication;
import dev.switchboard.server.engine.EngineNode;
import dev.switchboard.server.engine.RecordingListener;
import dev.switchboard.server.engine.RetentionRules;
import dev.switchboard.server.support.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What only a shared, fallible Redis brings: several nodes, lost data, a dead node, Redis going away. */
class RedisEngineFailureTest {

    private RedisServerProcess redis;
    private final List<EngineNode> engines = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServerProcess.start();
    }

    @AfterEach
    void stop() {
        engines.forEach(EngineNode::close);
        redis.close();
    }

    private EngineNode node(String id, RecordingListener listener, Duration presenceTtl) {
        EngineNode e = EngineNode.start(RedisEngines.open(RedisEngineOptions.of(redis.uri(), id, RetentionRules.defaults())
                .withPresenceTtl(presenceTtl).withCommandTimeout(Duration.ofSeconds(1))), id, listener);
        engines.add(e);
        return e;
    }

    /**
     * A join and a leave whose answers never came (Redis paused past the command time-out, as a partition would
     * leave them) yet which ran once Redis went on: the node asks what they did and tells the join and the leave
     * once each, as if the answers had come.
     */
    @Test
    void aJoinAndALeaveThatTimedOutButRanAreToldOnceByTheRecheck() throws Exception {
        RecordingListener l = new RecordingListener();
        EngineNode a = EngineNode.start(RedisEngines.open(RedisEngineOptions.of(redis.uri(), "a", RetentionRules.defaults())
                .withPresenceTtl(Duration.ofSeconds(3)).withCommandTimeout(Duration.ofMillis(300))), "a", l);
        engines.add(a);
        String ch = channel();
        redis.command("CLIENT", "PAUSE", "1000", "WRITE");
        assertThrows(java.util.concurrent.ExecutionException.class, () -> a.join(ch, "ann", "c1").get(5, TimeUnit.SECONDS),
                "the answer does not come within the time-out");
        assertEquals(ch + " ann", l.restoredPresence.poll(10, TimeUnit.SECONDS), "the join is told after all");
        redis.command("CLIENT", "PAUSE", "1000", "WRITE");
        assertThrows(java.util.concurrent.ExecutionException.class, () -> a.leave(ch, "ann", "c1").get(5, TimeUnit.SECONDS));
        assertEquals(ch + " ann", l.expiredPresence.poll(10, TimeUnit.SECONDS), "the leave is told after all");
        assertEquals(null, l.restoredPresence.poll(3, TimeUnit.SECONDS), "and nothing twice");
        assertEquals(null, l.expiredPresence.poll(0, TimeUnit.SECONDS));
        assertEquals(List.of(), a.presence(ch).get(5, TimeUnit.SECONDS));
    }

    private static String channel() {
        return "chat:" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aPublicationReachesEachSubscribedNodeOnceAndUnsubscribedNodesNot() throws Exception {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        RecordingListener lc = new RecordingListener();
        EngineNode a = node("a", la, Duration.ofSeconds(30));
        EngineNode b = node("b", lb, Duration.ofSeconds(30));
        node("c", lc, Duration.ofSeconds(30));
        String ch = channel();
        a.subscribe(ch).get();
        b.subscribe(ch).get();
        Publication p = a.publish(ch, "alice", IntNode.valueOf(1)).get();
        assertEquals(p, la.take(ch, 1, 5).get(0));
        assertEquals(p, lb.take(ch, 1, 5).get(0));
        b.unsubscribe(ch).get();
        a.publish(ch, "alice", IntNode.valueOf(2)).get();
        assertEquals(2, la.take(ch, 1, 5).get(0).offset());
        // a's copy of #2 arrived, so b's would have too: its queue is checked only now.
        assertNull(lb.publications.poll(200, TimeUnit.MILLISECONDS));
        assertTrue(lc.publications.isEmpty(), "a node without subscribers gets nothing");
    }

    @Test
    void publicationsMissedWhileThePubSubConnectionWasDownAreFetchedInOrder() throws Exception {
        RecordingListener lb = new RecordingListener();
        EngineNode a = node("a", new RecordingListener(), Duration.ofSeconds(30));
        EngineNode b = node("b", lb, Duration.ofSeconds(30));
        String ch = channel();
        b.subscribe(ch).get();
        a.publish(ch, null, IntNode.valueOf(1)).get();
        assertEquals(1, lb.take(ch, 1, 5).get(0).offset());
        // Cut every Pub/Sub connection: Lettuce reconnects and re-subscribes, publications in between are lost
        // to Pub/Sub and must come from the stream.
        redis.command("CLIENT", "KILL", "TYPE", "pubsub");
        for (int i = 2; i <= 60; i++) { // fewer than the 100 retained, so nothing is lost for good
            a.publish(ch, null, IntNode.valueOf(i)).get();
        }
        List<Publication> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (got.size() < 59 && System.nanoTime() < deadline) {
            // A later publication reveals the gap once b is subscribed again (it may not be yet).
            a.publish(ch, null, IntNode.valueOf(0)).get();
            Publication p = lb.publications.poll(200, TimeUnit.MILLISECONDS);
            if (p != null) {
                got.add(p);
                lb.publications.drainTo(got);
            }
        }
        for (int i = 0; i < got.size(); i++) {
            assertEquals(i + 2, got.get(i).offset(), () -> "in order, no gap, no duplicate: " + got.stream().map(Publication::offset).toList());
        }
        assertTrue(got.size() >= 59);
    }

    @Test
    void flushingRedisStartsANewEpochAndRecoveryAcrossItIsRefused() throws Exception {
        EngineNode a = node("a", new RecordingListener(), Duration.ofSeconds(30));
        String ch = channel();
        a.publish(ch, null, IntNode.valueOf(1)).get();
        Publication before = a.publish(ch, null, IntNode.valueOf(2)).get();
        redis.command("FLUSHALL");
        Publication after = a.publish(ch, null, IntNode.valueOf(3)).get();
        assertEquals(1, after.offset());
        assertNotEquals(before.epoch(), after.epoch());
        HistoryPage<Publication> page = a.history(ch, new HistoryQuery(before.offset(), -1, false)).get();
        assertNotEquals(before.epoch(), page.position().epoch(), "a client comparing epochs learns it cannot recover");
    }

    @Test
    void whileRedisIsDownCallsFailFastAndAfterItIsBackDeliveryResumes() throws Exception {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        EngineNode a = node("a", la, Duration.ofSeconds(30));
        EngineNode b = node("b", lb, Duration.ofSeconds(30));
        String ch = channel();
        b.subscribe(ch).get();
        Publication first = a.publish(ch, null, IntNode.valueOf(1)).get();
        assertEquals(first, lb.take(ch, 1, 5).get(0));

        redis.stop();
        long t0 = System.nanoTime();
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> a.publish(ch, null, IntNode.valueOf(2)).get(10, TimeUnit.SECONDS));
        assertInstanceOf(EngineUnavailableException.class, failure.getCause());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3), "fails within the command timeout");
        Poll.until("condition", Duration.ofSeconds(5), () -> !a.isReady() && !b.isReady());

        redis.startAgain();
        Poll.until("condition", Duration.ofSeconds(15), () -> a.isReady() && b.isReady());
        Publication again = a.publish(ch, null, IntNode.valueOf(3)).get();
        assertEquals(1, again.offset(), "Redis restarted empty: a new epoch begins");
        assertNotEquals(first.epoch(), again.epoch());
        Publication received = lb.take(ch, 1, 10).get(0);
        assertEquals(again, received, "b re-subscribed by itself");
        // and the node-wide channel too
        a.deliver(dev.switchboard.server.engine.Target.user("u"), "{}".getBytes()).get();
        assertTrue(lb.deliveries.poll(5, TimeUnit.SECONDS) != null);
    }

    @Test
    void aCrashedNodesPresenceExpiresWhileALiveNodesIsRenewed() throws Exception {
        Duration ttl = Duration.ofMillis(1500);
        EngineNode a = node("a", new RecordingListener(), ttl);
        EngineNode b = node("b", new RecordingListener(), ttl);
        String ch = channel();
        assertTrue(a.join(ch, "alice", "a-1").get());
        assertTrue(b.join(ch, "bob", "b-1").get());
        assertFalse(b.join(ch, "alice", "b-2").get(), "alice is already present through node a");
        assertEquals(List.of(new PresenceEntry("alice", 2), new PresenceEntry("bob", 1)), b.presence(ch).get());

        RedisEngines.halt(a.engines());
        long t0 = System.nanoTime();
        Poll.until("condition", Duration.ofSeconds(10), () -> {
            try {
                return b.presence(ch).get().equals(List.of(new PresenceEntry("alice", 1), new PresenceEntry("bob", 1)));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(System.nanoTime() - t0 < ttl.toNanos() + TimeUnit.SECONDS.toNanos(1), "gone within the TTL");
        // Well past several TTLs, the live node's heartbeat keeps its entries.
        Thread.sleep(ttl.toMillis() * 3); // the property under test is "still there after time passes"
        assertEquals(List.of(new PresenceEntry("alice", 1), new PresenceEntry("bob", 1)), b.presence(ch).get());
        assertTrue(b.leave(ch, "alice", "b-2").get(), "last connection of alice");
    }

    @Test
    void nodesReportTheirCountsAndACrashedNodeDropsOut() throws Exception {
        Duration ttl = Duration.ofMillis(1500);
        RecordingListener la = new RecordingListener();
        la.connections = 3;
        la.users = 2;
        RecordingListener lb = new RecordingListener();
        lb.connections = 5;
        lb.users = 5;
        EngineNode a = node("a", la, ttl);
        EngineNode b = node("b", lb, ttl);
        Poll.until("condition", Duration.ofSeconds(5), () -> connectionsByNode(a).equals(java.util.Map.of("a", 3L, "b", 5L)));
        lb.connections = 7;
        Poll.until("condition", Duration.ofSeconds(5), () -> connectionsByNode(a).equals(java.util.Map.of("a", 3L, "b", 7L)));
        RedisEngines.halt(b.engines());
        long t0 = System.nanoTime();
        Poll.until("condition", ttl.plusSeconds(3), () -> connectionsByNode(a).equals(java.util.Map.of("a", 3L)));
        assertTrue(System.nanoTime() - t0 < ttl.toNanos() + TimeUnit.SECONDS.toNanos(1), "gone within the TTL");
    }

    private static java.util.Map<String, Long> connectionsByNode(EngineNode e) {
        try {
            java.util.Map<String, Long> out = new java.util.HashMap<>();
            e.nodes().get(5, TimeUnit.SECONDS).forEach(n -> out.put(n.node(), n.connections()));
            return out;
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void aNodeStartedBeforeRedisServesNotReadyThenConnectsByItself() throws Exception {
        int port = RedisServerProcess.freePort();
        RecordingListener listener = new RecordingListener();
        EngineNode e = EngineNode.start(RedisEngines.open(RedisEngineOptions.of("redis://127.0.0.1:" + port, "early",
                RetentionRules.defaults()).withCommandTimeout(Duration.ofSeconds(1))), "early", listener); // returns although nothing listens
        engines.add(e);
        assertFalse(e.isReady());
        String ch = channel();
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> e.publish(ch, null, IntNode.valueOf(1)).get(5, TimeUnit.SECONDS));
        assertInstanceOf(EngineUnavailableException.class, failure.getCause());
        assertTrue(failure.getCause().getMessage().contains("127.0.0.1:" + port), failure.getCause().getMessage());
        assertThrows(ExecutionException.class, () -> e.subscribe(ch).get(5, TimeUnit.SECONDS),
                "the subscribe fails now, but the channel is remembered");

        try (RedisServerProcess late = RedisServerProcess.startOn(port)) {
            Poll.until("condition", Duration.ofSeconds(15), e::isReady);
            Publication p = e.publish(ch, null, IntNode.valueOf(2)).get(5, TimeUnit.SECONDS);
            assertEquals(1, p.offset());
            assertEquals(p, listener.take(ch, 1, 10).get(0), "the channel subscribed while Redis was away is live");
        }
    }

}
