package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The backend HTTP API: happy paths, auth, bad bodies, and that errors affect nothing else. */
class HttpApiTest {

    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }


    @Test
    void seedSendExampleReachesEveryTabOfTheUser() {
        try (WsClient tab1 = gw.connect("test-user"); WsClient tab2 = gw.connect("test-user")) {
            var r = gw.api("POST", "/api/send", "{\"username\":\"test-user\",\"content\":\"hi there\"}");
            assertEquals(200, r.status());
            for (WsClient tab : List.of(tab1, tab2)) {
                JsonNode m = tab.await(WsClient::isMessage);
                assertEquals("hi there", m.get("data").asText());
                assertEquals("test-user", m.get("to").asText());
            }
        }
    }

    @Test
    void aBatchPublishesEachItemInOrderAndAnswersEachInPlace() {
        try (WsClient a = gw.connect("bea")) {
            a.call("subscribe", Map.of("channel", "chat:batch"));
            var r = gw.api("POST", "/api/publish/batch", "{\"publications\":["
                    + "{\"channel\":\"chat:batch\",\"data\":1},"
                    + "{\"channel\":\"bad channel\",\"data\":2},"
                    + "{\"channel\":\"chat:batch\",\"data\":3,\"from\":\"system\"},"
                    + "7,"
                    + "{\"channel\":\"chat:batch\",\"data\":5,\"idempotencyKey\":\"b-5\"},"
                    + "{\"channel\":\"chat:batch\",\"data\":5,\"idempotencyKey\":\"b-5\"}]}");
            assertEquals(200, r.status(), r.body().toString());
            JsonNode results = r.body().get("results");
            assertEquals(6, results.size());
            long first = results.get(0).get("offset").asLong();
            assertEquals("bad_request", results.get(1).path("error").path("code").asText(), results.toString());
            assertEquals(first + 1, results.get(2).get("offset").asLong(), "one channel's items keep their order");
            assertEquals("bad_request", results.get(3).path("error").path("code").asText());
            assertEquals(first + 2, results.get(4).get("offset").asLong());
            assertEquals(first + 2, results.get(5).get("offset").asLong(), "an idempotency key inside a batch holds too");
            for (int want : new int[] {1, 3, 5}) {
                assertEquals(want, a.await(WsClient::isMessage).get("data").asInt());
            }
            assertEquals(400, gw.api("POST", "/api/publish/batch", "{\"publications\":[]}").status());
            StringBuilder many = new StringBuilder("{\"publications\":[");
            for (int i = 0; i < 1001; i++) {
                many.append(i == 0 ? "" : ",").append("{\"channel\":\"chat:many\",\"data\":0}");
            }
            var tooMany = gw.api("POST", "/api/publish/batch", many.append("]}").toString());
            assertEquals(413, tooMany.status(), "past --max-publish-batch");
            assertEquals("too_large", tooMany.body().path("error").path("code").asText());
        }
    }

    @Test
    void interleavedChannelsOfABatchEachKeepTheRequestsOrder() {
        try (WsClient a = gw.connect("ida")) {
            a.call("subscribe", Map.of("channel", "chat:x"));
            a.call("subscribe", Map.of("channel", "chat:y"));
            var r = gw.api("POST", "/api/publish/batch", "{\"publications\":["
                    + "{\"channel\":\"chat:x\",\"data\":\"x1\"},{\"channel\":\"chat:y\",\"data\":\"y1\"},"
                    + "{\"channel\":\"chat:x\",\"data\":\"x2\",\"from\":\"ops\"},{\"channel\":\"chat:y\",\"data\":\"y2\"}]}");
            JsonNode results = r.body().get("results");
            assertEquals(results.get(0).get("offset").asLong() + 1, results.get(2).get("offset").asLong());
            assertEquals(results.get(1).get("offset").asLong() + 1, results.get(3).get("offset").asLong());
            List<String> x = new java.util.ArrayList<>();
            List<String> y = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                JsonNode m = a.await(WsClient::isMessage);
                (m.get("channel").asText().equals("chat:x") ? x : y).add(m.get("data").asText());
                if (m.get("data").asText().equals("x2")) {
                    assertEquals("ops", m.path("from").asText(), "each item keeps its own sender");
                }
            }
            assertEquals(List.of("x1", "x2"), x);
            assertEquals(List.of("y1", "y2"), y);
        }
    }

    @Test
    void aRetriedPublishWithTheSameIdempotencyKeyIsPublishedOnce() {
        try (WsClient a = gw.connect("ivy")) {
            a.call("subscribe", Map.of("channel", "chat:idem"));
            String body = "{\"channel\":\"chat:idem\",\"data\":\"once\",\"idempotencyKey\":\"order-17\"}";
            var first = gw.api("POST", "/api/publish", body);
            var retry = gw.api("POST", "/api/publish", body);
            assertEquals(200, retry.status());
            assertEquals(first.body().get("offset").asLong(), retry.body().get("offset").asLong());
            var next = gw.api("POST", "/api/publish", "{\"channel\":\"chat:idem\",\"data\":\"twice\"}");
            assertEquals("once", a.await(WsClient::isMessage).get("data").asText());
            JsonNode m = a.await(WsClient::isMessage);
            assertEquals("twice", m.get("data").asText(), "the retry was not delivered");
            assertEquals(next.body().get("offset").asLong(), m.get("offset").asLong());
        }
    }

    @Test
    void publishBroadcastPresenceConnections() {
        try (WsClient a = gw.connect("alice"); WsClient b = gw.connect("bob")) {
            a.call("subscribe", Map.of("channel", "chat:api"));
            var pub = gw.api("POST", "/api/publish", "{\"channel\":\"chat:api\",\"data\":{\"text\":\"from backend\"},\"from\":\"system\"}");
            assertEquals(200, pub.status());
            assertEquals(1, pub.body().get("offset").asLong());
            JsonNode m = a.await(WsClient::isMessage);
            assertEquals("from backend", m.at("/data/text").asText());
            assertEquals("system", m.get("from").asText());

            assertEquals(200, gw.api("POST", "/api/broadcast", "{\"data\":\"everyone\"}").status());
            assertEquals("everyone", b.await(WsClient::isMessage).get("data").asText());
            assertEquals("everyone", a.await(WsClient::isMessage).get("data").asText());

            var presence = gw.api("GET", "/api/channels/chat:api/presence", null);
            assertEquals(200, presence.status());
            assertEquals("alice", presence.body().at("/users/0/user").asText());

            var all = gw.api("GET", "/api/connections", null);
            assertTrue(all.body().get("count").asInt() >= 2);
            assertEquals(1, all.body().at("/users/alice").asInt());
            // One node on the memory engine: the cluster view is this node alone, with the same count.
            assertEquals(all.body().get("count").asInt(), all.body().at("/cluster/count").asInt());
            assertEquals(1, all.body().at("/cluster/nodes").size());
            var one = gw.api("GET", "/api/connections?user=bob", null);
            assertEquals(1, one.body().get("count").asInt());
            assertEquals("/ws", one.body().at("/connections/0/endpoint").asText());
        }
    }

    @Test
    void disconnectByUserAndByConnection() {
        try (WsClient a1 = gw.connect("kick"); WsClient a2 = gw.connect("kick"); WsClient c = gw.connect("stay")) {
            assertEquals(200, gw.api("POST", "/api/disconnect", "{\"user\":\"kick\",\"reason\":\"banned\"}").status());
            assertEquals(CloseCodes.KICKED, a1.awaitClose());
            assertEquals(CloseCodes.KICKED, a2.awaitClose());
            assertEquals("banned", a1.closeReason());
            String id = gw.api("GET", "/api/connections?user=stay", null).body().at("/connections/0/id").asText();
            assertEquals(200, gw.api("POST", "/api/disconnect", "{\"connection\":\"" + id + "\"}").status());
            assertEquals(CloseCodes.KICKED, c.awaitClose());
        }
    }

    @Test
    void errorsAreJsonWithTheRightStatusAndHarmNothing() {
        try (WsClient a = gw.connect("alice")) {
            assertEquals(401, gw.apiWithKey("POST", "/api/publish", "{}", null).status());
            var wrongKey = gw.apiWithKey("POST", "/api/publish", "{\"channel\":\"c\",\"data\":1}", "wrong");
            assertEquals(401, wrongKey.status());
            assertEquals("unauthorized", wrongKey.body().at("/error/code").asText());
            Map<String, String> bad = Map.of(
                    "/api/publish", "{not json",
                    "/api/send", "{\"user\":\"x\"}",
                    "/api/broadcast", "[]",
                    "/api/disconnect", "{}");
            for (var e : bad.entrySet()) {
                var r = gw.api("POST", e.getKey(), e.getValue());
                assertEquals(400, r.status(), e.getKey());
                assertTrue(r.body().at("/error/code").asText().startsWith("bad_"), e.getKey() + " " + r.text());
            }
            assertEquals(400, gw.api("POST", "/api/publish", "{\"channel\":\"has space\",\"data\":1}").status());
            assertEquals(400, gw.api("POST", "/api/publish", "").status());
            assertEquals(400, gw.api("GET", "/api/channels/news:x/presence", null).status());
            assertEquals(1, a.call("echo", Map.of("n", 1)).get("n").asInt());
            assertEquals(200, gw.get("/healthz").status());
        }
    }

    @Test
    void healthReadinessMetricsAndDemoPage() {
        assertEquals("ok", gw.get("/healthz").body().get("status").asText());
        assertEquals("ready", gw.get("/readyz").body().get("status").asText());
        var metrics = gw.get("/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.text().contains("switchboard_connections"), "connection gauge exported");
        assertTrue(metrics.text().contains("jvm_memory_used_bytes"));
        var page = gw.get("/");
        assertEquals(200, page.status());
        assertTrue(page.raw().headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertEquals(404, gw.get("/../etc/passwd").status());
    }

    @Test
    void bodyOverTheLimitIs413() {
        try (TestGateway small = TestGateway.start(c -> c.maxHttpBody = 1000)) {
            var r = small.api("POST", "/api/publish", "{\"channel\":\"c\",\"data\":\"" + "x".repeat(5000) + "\"}");
            assertEquals(413, r.status());
            assertEquals(200, small.get("/healthz").status());
        }
    }

    @Test
    void drainClosesIdleKeepAliveHttpSockets() throws Exception {
        TestGateway g = TestGateway.start();
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", g.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            java.io.InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n = in.read(buf);
            assertTrue(new String(buf, 0, n).startsWith("HTTP/1.1 200"), "kept alive after one request");
            Thread closer = Thread.ofVirtual().start(g::close);
            int next;
            while ((next = in.read(buf)) > 0) {
                // drain anything left
            }
            assertEquals(-1, next, "the draining server closed the idle keep-alive socket");
            closer.join(10_000);
        }
    }

    @Test
    void gracefulShutdownClosesSocketsWith1012() {
        TestGateway g = TestGateway.start();
        WsClient c = g.connect("alice");
        Thread closer = Thread.ofVirtual().start(g::close);
        assertEquals(CloseCodes.RESTARTING, c.awaitClose(Duration.ofSeconds(10)));
        try {
            closer.join(10_000);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(!closer.isAlive());
    }
}
