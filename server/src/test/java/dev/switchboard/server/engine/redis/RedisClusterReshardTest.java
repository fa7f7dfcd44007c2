package dev.switchboard.server.engine.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.protocol.Publication;
import dev.switchboard.server.engine.EngineNode;
import dev.switchboard.server.engine.RecordingListener;
import dev.switchboard.server.engine.RetentionRules;
import dev.switchboard.server.support.RedisClusterProcess;
import dev.switchboard.server.support.RedisServerProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * Resharding under a live subscription: when the slot of a channel moves to another master, Redis drops the
 * shard subscribers of that slot (SUNSUBSCRIBE), and the engine must follow the slot to its new owner by
 * itself, with nothing lost: the channel's stream moves with the slot, so the feed catches up from it.
 */
@Tag("multi-process")
class RedisClusterReshardTest {

    private RedisClusterProcess cluster;
    private final List<EngineNode> engines = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cluster = RedisClusterProcess.start();
    }

    @AfterEach
    void stop() {
        engines.forEach(EngineNode::close);
        cluster.close();
    }

    private EngineNode engine(String id, RecordingListener listener) {
        EngineNode e = EngineNode.start(RedisEngines.open(RedisEngineOptions.of(cluster.uri(), id, RetentionRules.defaults())
                .withCommandTimeout(Duration.ofSeconds(2))), id, listener);
        engines.add(e);
        return e;
    }

    @Test
    void aSubscriptionFollowsItsSlotToAnotherMaster() throws Exception {
        RecordingListener heard = new RecordingListener();
        EngineNode subscriber = engine("a", heard);
        EngineNode publisher = engine("b", new RecordingListener());
        String ch = "chat:" + UUID.randomUUID().toString().substring(0, 8);
        subscriber.subscribe(ch).get(5, TimeUnit.SECONDS);
        Publication first = publisher.publish(ch, null, IntNode.valueOf(1)).get(5, TimeUnit.SECONDS);
        assertEquals(first, heard.take(ch, 1, 10).get(0));

        String pubsubChannel = new RedisKeys("sb").pubsub(ch);
        int slot = Integer.parseInt(reply(cluster.nodes().get(0).command("CLUSTER", "KEYSLOT", pubsubChannel)));
        RedisServerProcess source = owner(slot);
        RedisServerProcess target = cluster.nodes().stream().filter(n -> n != source).findFirst().orElseThrow();
        migrate(slot, source, target);

        // Published after the move: reaches the subscriber through the new owner, in order, nothing missing.
        Publication second = publisher.publish(ch, null, IntNode.valueOf(2)).get(10, TimeUnit.SECONDS);
        Publication third = publisher.publish(ch, null, IntNode.valueOf(3)).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(2L, 3L), List.of(second.offset(), third.offset()), "the stream moved with the slot");
        List<Publication> after = heard.take(ch, 2, 15);
        assertEquals(List.of(second, third), after);
        assertEquals(3, subscriber.history(ch, new HistoryQuery(null, -1, false)).get(5, TimeUnit.SECONDS)
                .publications().size());
    }

    private RedisServerProcess owner(int slot) throws IOException {
        for (String line : reply(cluster.nodes().get(0).command("CLUSTER", "NODES")).split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 9 || !f[2].contains("master")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                if (range[0].startsWith("[")) {
                    continue; // a slot being migrated or imported
                }
                int lo = Integer.parseInt(range[0]);
                int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                if (slot >= lo && slot <= hi) {
                    int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                    return cluster.nodes().stream().filter(n -> n.port() == port).findFirst().orElseThrow();
                }
            }
        }
        throw new AssertionError("no owner for slot " + slot);
    }

    /** The documented manual resharding steps for one slot: importing, migrating, move the keys, assign. */
    private void migrate(int slot, RedisServerProcess source, RedisServerProcess target) throws IOException {
        String sourceId = reply(source.command("CLUSTER", "MYID"));
        String targetId = reply(target.command("CLUSTER", "MYID"));
        String s = Integer.toString(slot);
        expectOk(target.command("CLUSTER", "SETSLOT", s, "IMPORTING", sourceId));
        expectOk(source.command("CLUSTER", "SETSLOT", s, "MIGRATING", targetId));
        String keys = source.command("CLUSTER", "GETKEYSINSLOT", s, "100");
        List<String> names = new ArrayList<>();
        for (String line : keys.split("\r\n")) {
            if (!line.isEmpty() && !line.startsWith("*") && !line.startsWith("$")) {
                names.add(line);
            }
        }
        if (!names.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "", "0",
                    "5000", "KEYS"));
            cmd.addAll(names);
            expectOk(source.command(cmd.toArray(String[]::new)));
        }
        for (RedisServerProcess n : cluster.nodes()) {
            expectOk(n.command("CLUSTER", "SETSLOT", s, "NODE", targetId));
        }
        assertEquals(target.port(), owner(slot).port());
    }

    private static void expectOk(String reply) {
        assertNotNull(reply);
        assertEquals("+OK", reply.trim(), reply);
    }

    /** The text of a RESP integer or bulk reply. */
    private static String reply(String resp) {
        String r = resp.trim();
        if (r.startsWith(":") || r.startsWith("+")) {
            return r.substring(1);
        }
        if (r.startsWith("$")) {
            return r.substring(r.indexOf("\r\n") + 2).trim();
        }
        throw new AssertionError("unexpected reply " + resp);
    }
}
