package dev.switchboard.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.WsClient;
import dev.switchboard.server.support.GatewayProcess;
import dev.switchboard.server.support.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;

/**
 * Three gateway nodes as separate OS processes on one real Redis. The tests run in order: the later ones
 * kill a node and restart Redis, and the earlier ones need all three healthy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("multi-process")
class ClusterNodesTest {

    static final String SECRET = "cluster-test-secret-cluster-test-secret!";
    static final Duration PRESENCE_TTL = Duration.ofSeconds(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static RedisServerProcess redis;
    private static GatewayProcess a;
    private static GatewayProcess b;
    private static GatewayProcess c;
    private static final List<WsClient> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisServerProcess.start();
        String[] opts = {"--engine", "redis", "--redis", redis.uri(), "--presence-ttl", PRESENCE_TTL.toSeconds() + "s",
                "--redis-timeout", "1s", "--rate-limit", "10000", "--rate-burst", "10000"};
        // Started in parallel: JVM start-up dominates and the machine has two cores.
        var fa = java.util.concurrent.CompletableFuture.supplyAsync(() -> start("a", opts));
        var fb = java.util.concurrent.CompletableFuture.supplyAsync(() -> start("b", opts));
        var fc = java.util.concurrent.CompletableFuture.supplyAsync(() -> start("c", opts));
        a = fa.join();
        b = fb.join();
        c = fc.join();
    }

    private static GatewayProcess start(String name, String[] opts) {
        try {
            return GatewayProcess.start(name, SECRET, opts);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopCluster() {
        clients.forEach(WsClient::abort);
        for (GatewayProcess g : new GatewayProcess[] {a, b, c}) {
            if (g != null) {
                g.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    static HttpResponse<String> http(GatewayProcess node, String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer dev-api-key")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static WsClient connect(GatewayProcess node, String user) throws Exception {
        String token = Json.parse(http(node, "GET", "/auth/token?user=" + user, null).body()).get("token").asText();
        WsClient ws = WsClient.open(URI.create("ws://127.0.0.1:" + node.port() + "/ws?token=" + token));
        ws.awaitType("welcome");
        clients.add(ws);
        return ws;
    }

    static JsonNode publish(GatewayProcess node, String channel, String json) throws Exception {
        HttpResponse<String> r = http(node, "POST", "/api/publish", "{\"channel\":\"" + channel + "\",\"data\":" + json + "}");
        assertEquals(200, r.statusCode(), r.body());
        return Json.parse(r.body());
    }

    static Set<String> presentUsers(GatewayProcess node, String channel) throws Exception {
        JsonNode body = Json.parse(http(node, "GET", "/api/channels/" + channel + "/presence", null).body());
        Set<String> users = new TreeSet<>();
        body.get("users").forEach(u -> users.add(u.get("user").asText()));
        return users;
    }

    private static boolean isMessage(JsonNode f, String channel) {
        return "message".equals(f.path("type").asText()) && channel.equals(f.path("channel").asText());
    }

    // ---- tests ------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aUserOnNodeAReceivesInEveryTabWhatIsSentThroughNodeC() throws Exception {
        WsClient tabOnA = connect(a, "test-user");
        WsClient tabOnB = connect(b, "test-user");
        WsClient otherOnA = connect(a, "someone-else");
        HttpResponse<String> r = http(c, "POST", "/api/send", "{\"username\":\"test-user\",\"content\":\"hi there\"}");
        assertEquals(200, r.statusCode(), r.body());
        for (WsClient tab : List.of(tabOnA, tabOnB)) {
            JsonNode m = tab.await(f -> "message".equals(f.path("type").asText()) && "test-user".equals(f.path("to").asText()));
            assertEquals("hi there", m.get("data").asText());
        }
        otherOnA.assertNone(f -> "message".equals(f.path("type").asText()), Duration.ofMillis(300));

        // Node C, holding none of these sockets, reports every node's counts.
        Poll.until("node c sees the connections of a and b", PRESENCE_TTL.plusSeconds(5), () -> {
            try {
                JsonNode cluster = Json.parse(http(c, "GET", "/api/connections", null).body()).get("cluster");
                Map<String, Long> byNode = new java.util.HashMap<>();
                cluster.get("nodes").forEach(n -> byNode.put(n.get("node").asText(), n.get("connections").asLong()));
                return byNode.keySet().equals(Set.of("a", "b", "c")) && byNode.get("a") >= 2 && byNode.get("b") >= 1
                        && cluster.get("count").asLong() == byNode.values().stream().mapToLong(Long::longValue).sum();
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    @Order(2)
    void subscribersOnAllThreeNodesGetEachPublicationExactlyOnceInOrder() throws Exception {
        String channel = "news:fanout";
        List<WsClient> subs = new ArrayList<>();
        for (GatewayProcess node : List.of(a, b, c)) {
            WsClient ws = connect(node, "reader-" + node.port());
            ws.call("subscribe", Map.of("channel", channel));
            subs.add(ws);
        }
        GatewayProcess[] via = {a, b, c};
        for (int i = 1; i <= 30; i++) {
            assertEquals(i, publish(via[i % 3], channel, "{\"n\":" + i + "}").get("offset").asLong());
        }
        for (WsClient ws : subs) {
            for (int i = 1; i <= 30; i++) {
                JsonNode m = ws.await(f -> isMessage(f, channel));
                assertEquals(i, m.get("offset").asLong());
                assertEquals(i, m.get("data").get("n").asInt());
            }
            ws.assertNone(f -> isMessage(f, channel), Duration.ofMillis(300));
        }
        // History is shared too: any node answers with all 30.
        JsonNode history = Json.parse(http(c, "GET", "/api/channels/" + channel + "/history?since=25", null).body());
        assertEquals(5, history.get("publications").size());
        assertEquals(26, history.get("publications").get(0).get("offset").asLong());
        assertEquals(30, history.get("offset").asLong());
    }

    @Test
    @Order(3)
    void presenceListsUsersFromAllNodesAndJoinsReachEveryNode() throws Exception {
        String channel = "chat:room";
        WsClient ann = connect(a, "ann");
        ann.call("subscribe", Map.of("channel", channel));
        WsClient ben = connect(b, "ben");
        ben.call("subscribe", Map.of("channel", channel));
        WsClient cid = connect(c, "cid");
        cid.call("subscribe", Map.of("channel", channel));
        JsonNode join = ann.await(f -> "presence".equals(f.path("type").asText()) && "cid".equals(f.path("user").asText()));
        assertEquals("join", join.get("event").asText());
        for (GatewayProcess node : List.of(a, b, c)) {
            assertEquals(Set.of("ann", "ben", "cid"), presentUsers(node, channel));
        }
    }

    @Test
    @Order(4)
    void crossNodeDeliveryLatencyAgainstASingleMemoryNode() throws Exception {
        int warmup = 300;
        int samples = 2000;
        Histogram cross = measure(b, a, "lat:cross", warmup, samples);
        Histogram sameRedisNode = measure(a, a, "lat:same", warmup, samples);
        Histogram single;
        try (GatewayProcess memory = GatewayProcess.start("single", SECRET, "--engine", "memory")) {
            single = measure(memory, memory, "lat:single", warmup, samples);
        }
        String report = String.format(
                "Publish (HTTP POST /api/publish) to receipt on a subscribed WebSocket, %d samples after %d warm-up, loopback, 2 cores:%n"
                        + "  memory engine, single node      : p50 %.2f ms  p99 %.2f ms  max %.2f ms%n"
                        + "  redis engine, same node         : p50 %.2f ms  p99 %.2f ms  max %.2f ms%n"
                        + "  redis engine, node B -> node A  : p50 %.2f ms  p99 %.2f ms  max %.2f ms%n",
                samples, warmup,
                ms(single, 50), ms(single, 99), single.getMaxValue() / 1000.0,
                ms(sameRedisNode, 50), ms(sameRedisNode, 99), sameRedisNode.getMaxValue() / 1000.0,
                ms(cross, 50), ms(cross, 99), cross.getMaxValue() / 1000.0);
        System.out.print(report);
        Files.writeString(Path.of("target", "cross-node-latency.txt"), report);
        assertTrue(cross.getValueAtPercentile(50) < 50_000, "cross-node p50 under 50 ms on loopback");
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Publishes one at a time through {@code via} and times until {@code subscriberNode}'s client has it (µs). */
    private static Histogram measure(GatewayProcess via, GatewayProcess subscriberNode, String channel, int warmup, int samples)
            throws Exception {
        WsClient sub = connect(subscriberNode, "lat-" + channel.replace(':', '-'));
        sub.call("subscribe", Map.of("channel", channel));
        Histogram h = new Histogram(60_000_000L, 3);
        for (int i = 0; i < warmup + samples; i++) {
            long t0 = System.nanoTime();
            publish(via, channel, "{\"i\":" + i + "}");
            int expect = i;
            sub.await(f -> isMessage(f, channel) && f.path("data").path("i").asInt() == expect);
            if (i >= warmup) {
                h.recordValue((System.nanoTime() - t0) / 1000);
            }
        }
        sub.abort();
        return h;
    }

    @Test
    @Order(5)
    void aKilledNodesUsersLeavePresenceWithinTheTtlAndTheOthersKeepDelivering() throws Exception {
        String channel = "chat:room";
        assertEquals(Set.of("ann", "ben", "cid"), presentUsers(a, channel));
        WsClient watcher = connect(a, "watcher");
        watcher.call("subscribe", Map.of("channel", "news:after-kill"));
        watcher.call("subscribe", Map.of("channel", channel));
        long t0 = System.nanoTime();
        c.kill9();
        Poll.until("cid gone from presence", PRESENCE_TTL.plusSeconds(5), () -> {
            try {
                return presentUsers(a, channel).equals(Set.of("ann", "ben", "watcher"));
            } catch (Exception e) {
                return false;
            }
        });
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(PRESENCE_TTL.plusSeconds(2)) < 0, "left within the TTL (+ heartbeat slack): " + took);
        JsonNode leave = watcher.await(f -> "presence".equals(f.path("type").asText()) && "cid".equals(f.path("user").asText()),
                PRESENCE_TTL.plusSeconds(3));
        assertEquals("leave", leave.get("event").asText(), "subscribers hear that the dead node's user left");
        publish(b, "news:after-kill", "{\"still\":\"alive\"}");
        assertEquals("alive", watcher.await(f -> isMessage(f, "news:after-kill")).get("data").get("still").asText());
    }

    @Test
    @Order(6)
    void afterARedisRestartNodesResubscribeByThemselvesAndRecoveryIsRefusedAcrossTheLostEpoch() throws Exception {
        String channel = "news:restart";
        WsClient sub = connect(a, "survivor");
        JsonNode pos = sub.call("subscribe", Map.of("channel", channel));
        JsonNode p1 = publish(b, channel, "{\"n\":1}");
        assertEquals(1, sub.await(f -> isMessage(f, channel)).get("offset").asLong());
        String oldEpoch = p1.get("epoch").asText();
        assertEquals(pos.get("epoch").asText(), oldEpoch);

        redis.stop();
        Poll.until("a reports not ready", Duration.ofSeconds(10), () -> status(a, "/readyz") == 503);
        HttpResponse<String> refused = http(b, "POST", "/api/publish", "{\"channel\":\"" + channel + "\",\"data\":1}");
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("unavailable"), refused.body());
        assertEquals("unavailable", sub.callError("publish", Map.of("channel", channel, "data", 1)),
                "a WebSocket publish gets an unavailable error frame");
        assertFalse(sub.isClosed(), "clients stay connected while Redis is away");

        redis.startAgain();
        Poll.until("a and b ready again", Duration.ofSeconds(20), () -> status(a, "/readyz") == 200 && status(b, "/readyz") == 200);
        JsonNode p2 = publish(b, channel, "{\"n\":2}");
        assertEquals(1, p2.get("offset").asLong(), "Redis came back empty: a new epoch");
        assertNotEquals(oldEpoch, p2.get("epoch").asText());
        JsonNode live = sub.await(f -> isMessage(f, channel), Duration.ofSeconds(10));
        assertEquals(2, live.get("data").get("n").asInt(), "the node re-subscribed without operator action");

        WsClient recovering = connect(b, "recovering");
        JsonNode reply = recovering.call("subscribe", Map.of("channel", channel,
                "since", Json.object().put("offset", 1).put("epoch", oldEpoch)));
        assertFalse(reply.get("recovered").asBoolean(), "the old epoch's messages are gone: " + reply);
        assertEquals(p2.get("epoch").asText(), reply.get("epoch").asText());
    }

    private static int status(GatewayProcess node, String path) {
        try {
            return http(node, "GET", path, null).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
