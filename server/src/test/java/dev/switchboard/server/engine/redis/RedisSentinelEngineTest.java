package dev.switchboard.server.engine.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.protocol.Publication;
import dev.switchboard.server.engine.EngineNode;
import dev.switchboard.server.engine.RecordingListener;
import dev.switchboard.server.engine.RetentionRules;
import dev.switchboard.server.support.RedisServerProcess;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** The engine finds its master through Redis Sentinel ({@code redis-sentinel://host:port#master}). */
@Tag("multi-process")
class RedisSentinelEngineTest {

    @Test
    void publishSubscribeAndHistoryThroughASentinelDiscoveredMaster() throws Exception {
        try (RedisServerProcess master = RedisServerProcess.start()) {
            int sentinelPort = RedisServerProcess.freePort();
            Path dir = Files.createTempDirectory("sentinel-");
            Path conf = dir.resolve("sentinel.conf");
            // Sentinel rewrites its config file, so it must be a writable file of its own.
            Files.writeString(conf, "port " + sentinelPort + "\nbind 127.0.0.1\ndir " + dir + "\n"
                    + "sentinel monitor sbmaster 127.0.0.1 " + master.port() + " 1\n");
            String server = RedisServerProcess.binary();
            Process sentinel = new ProcessBuilder(server, conf.toString(), "--sentinel")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sentinel.log").toFile()).start();
            try {
                awaitPort(sentinelPort);
                RecordingListener l = new RecordingListener();
                EngineNode e = EngineNode.start(RedisEngines.open(RedisEngineOptions.of(
                        "redis-sentinel://127.0.0.1:" + sentinelPort + "#sbmaster", "s", RetentionRules.defaults())), "s", l);
                try {
                    e.subscribe("chat:s").get(5, TimeUnit.SECONDS);
                    Publication p = e.publish("chat:s", "alice", IntNode.valueOf(7)).get(5, TimeUnit.SECONDS);
                    assertEquals(1, p.offset());
                    assertEquals(p, l.take("chat:s", 1, 5).get(0));
                    assertEquals(List.of(p), e.history("chat:s", new HistoryQuery(0L, -1, false)).get().publications());
                    // it really is the monitored master that holds the data
                    assertEquals(":1\r\n", master.command("EXISTS", "sb:{c:chat:s}:m"));
                } finally {
                    e.close();
                }
            } finally {
                sentinel.destroy();
                sentinel.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50); // polling for the port to open; no event to wait on
            }
        }
        throw new AssertionError("sentinel did not open port " + port);
    }
}
