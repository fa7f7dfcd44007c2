package dev.switchboard.server.engine.redis;

import dev.switchboard.protocol.Publication;

import dev.switchboard.server.engine.EngineNode;
import dev.switchboard.server.engine.EngineContractTest;
import dev.switchboard.server.engine.RecordingListener;
import dev.switchboard.server.engine.RetentionRules;
import dev.switchboard.server.support.RedisClusterProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The engine contract on a local 3-master Redis Cluster: slot-routed scripts and sharded Pub/Sub. */
@Tag("multi-process")
class RedisClusterEngineContractTest extends EngineContractTest {

    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisClusterProcess.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static RedisClusterProcess cluster() {
        return cluster;
    }

    @org.junit.jupiter.api.Test
    void channelsSpreadOverAllShardsAndFanOutCrossesNodes() throws Exception {
        dev.switchboard.server.engine.RecordingListener la = new dev.switchboard.server.engine.RecordingListener();
        EngineNode a = engine(la);
        EngineNode b = engine(new dev.switchboard.server.engine.RecordingListener());
        java.util.List<String> channels = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String ch = channel("chat:");
            channels.add(ch);
            await(a.subscribe(ch));
        }
        for (String ch : channels) {
            await(b.publish(ch, "bob", com.fasterxml.jackson.databind.node.IntNode.valueOf(1)));
            await(b.publish(ch, "bob", com.fasterxml.jackson.databind.node.IntNode.valueOf(2)));
        }
        // Shards deliver on their own connections: order holds within a channel, not across channels.
        java.util.Map<String, java.util.List<Long>> byChannel = new java.util.HashMap<>();
        for (int i = 0; i < channels.size() * 2; i++) {
            dev.switchboard.protocol.Publication p = la.publications.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            org.junit.jupiter.api.Assertions.assertNotNull(p, "publication " + i + " of " + channels.size() * 2);
            byChannel.computeIfAbsent(p.channel(), k -> new java.util.ArrayList<>()).add(p.offset());
        }
        for (String ch : channels) {
            org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(1L, 2L), byChannel.get(ch));
            org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(1L, 2L), offsets(await(
                    a.history(ch, new dev.switchboard.server.engine.HistoryQuery(null, -1, false)))));
        }
        for (var node : cluster.nodes()) {
            String size = node.command("DBSIZE");
            org.junit.jupiter.api.Assertions.assertNotEquals(":0\r\n", size, "every shard holds some channels");
        }
    }

    @Override
    protected EngineNode newEngine(RetentionRules rules, RecordingListener listener) {
        return EngineNode.start(RedisEngines.open(RedisEngineOptions.of(cluster.uri(), "test-node", rules)), "test-node", listener);
    }

    @Override
    protected EngineNode newEngineWithKeyBound(RetentionRules rules, int keys, RecordingListener listener) {
        return EngineNode.start(RedisEngines.open(RedisEngineOptions.of(cluster.uri(), "test-node", rules).withIdempotencyKeys(keys)),
                "test-node", listener);
    }
}
