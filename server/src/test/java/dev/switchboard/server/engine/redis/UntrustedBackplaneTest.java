package dev.switchboard.server.engine.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.RedisServerProcess;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis is input too: garbage, a 10 MB message, invalid UTF-8 and well-formed publications with offsets or an
 * epoch the channel's stream never held, published straight into the backplane's channels, are dropped and
 * counted; the node keeps serving, subscribers see only real publications, with contiguous offsets.
 */
class UntrustedBackplaneTest {

    private RedisServerProcess redis;
    private TestGateway gw;
    private RedisClient raw;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServerProcess.start();
        gw = TestGateway.start(c -> {
            c.engine = "redis";
            c.redis = redis.uri();
        });
        raw = RedisClient.create(redis.uri());
    }

    @AfterEach
    void stop() {
        raw.shutdown();
        gw.close();
        redis.close();
    }

    @Test
    void forgedGarbageAndOversizedBackplaneMessagesAreDroppedAndCounted() throws Exception {
        RedisKeys keys = new RedisKeys("sb");
        try (WsClient sub = gw.connect("sub"); WsClient pub = gw.connect("pub");
             StatefulRedisConnection<byte[], byte[]> redisRaw = raw.connect(ByteArrayCodec.INSTANCE)) {
            sub.call("subscribe", Map.of("channel", "chat:bp"));
            pub.call("publish", Map.of("channel", "chat:bp", "data", Map.of("n", 1)));
            JsonNode first = sub.await(WsClient::isMessage);
            String epoch = first.path("epoch").asText();
            long offset = first.path("offset").asLong();

            byte[] channel = keys.pubsub("chat:bp").getBytes(StandardCharsets.UTF_8);
            var commands = redisRaw.sync();
            commands.publish(channel, "garbage".getBytes(StandardCharsets.UTF_8));
            commands.publish(channel, new byte[] {(byte) 0xff, (byte) 0xfe, '\n', (byte) 0xc3, '\n'});
            commands.publish(channel, "x".repeat(10 * 1024 * 1024).getBytes(StandardCharsets.UTF_8));
            commands.publish(channel, forged(offset + 1000, epoch, "far ahead"));
            commands.publish(channel, forged(1, "forged-epoch", "another epoch"));
            commands.publish(channel, forged(-5, epoch, "negative"));
            commands.publish(keys.nodes().getBytes(StandardCharsets.UTF_8), "not a node command".getBytes(StandardCharsets.UTF_8));

            for (int n = 2; n <= 4; n++) {
                pub.call("publish", Map.of("channel", "chat:bp", "data", Map.of("n", n)));
            }
            List<JsonNode> got = new ArrayList<>();
            while (got.size() < 3) {
                got.add(sub.await(WsClient::isMessage, Duration.ofSeconds(10)));
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(i + 2, got.get(i).path("data").path("n").asInt(), got.toString());
                assertEquals(offset + 1 + i, got.get(i).path("offset").asLong(), "contiguous offsets: " + got);
                assertEquals(epoch, got.get(i).path("epoch").asText());
            }
            assertEquals(7, sub.call("echo", Map.of("k", 7)).path("k").asInt(), "the node serves on");

            // the impossible ones are dropped when the stream read that checks them returns: wait for it
            Poll.until("impossible drops", Duration.ofSeconds(10), () -> counted(gw.get("/metrics").text(), "impossible") >= 2);
            String metrics = gw.get("/metrics").text();
            assertTrue(counted(metrics, "oversized") >= 1, metrics);
            assertTrue(counted(metrics, "malformed") >= 4, metrics);
        }
    }

    private static byte[] forged(long offset, String epoch, String text) {
        return (offset + "\n" + epoch + "\n" + System.currentTimeMillis() + "\n{\"d\":{\"forged\":\"" + text + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static double counted(String metrics, String reason) {
        return metrics.lines().filter(l -> l.startsWith("switchboard_backplane_dropped_total{") && l.contains("reason=\"" + reason + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
