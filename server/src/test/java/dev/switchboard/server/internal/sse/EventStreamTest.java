package dev.switchboard.server.internal.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.SseClient;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Server-Sent Events fallback: a real gateway, streams read as text/event-stream, envelopes POSTed. */
class EventStreamTest {

    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(c -> {
            c.pingInterval = Duration.ofMillis(200);
            c.idleTimeout = Duration.ofMillis(1500);
        });
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private SseClient stream(String user, String query) {
        return SseClient.open(gw.http(""), "/sse?token=" + gw.token(user) + query, null);
    }

    private static boolean isMessage(JsonNode f) {
        return "message".equals(f.path("type").asText());
    }

    @Test
    void channelMessagesArriveAsEventsWithTheirPositionAsId() {
        try (SseClient s = stream("sam", "&channel=news:sse1")) {
            assertEquals(200, s.status());
            assertTrue(s.response().headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
            s.handshake();
            assertEquals("sam", s.awaitType("welcome").data().get("user").asText());
            SseClient.Event subscribed = s.await(f -> "sse:news:sse1".equals(f.path("re").asText()));
            assertEquals("0:" + subscribed.data().at("/data/epoch").asText(), subscribed.id(),
                    "the subscribe answer sets the id, so a reconnect before any message still resumes");
            assertEquals(200, gw.api("POST", "/api/publish", "{\"channel\":\"news:sse1\",\"data\":\"one\"}").status());
            SseClient.Event m = s.await(EventStreamTest::isMessage);
            assertEquals("one", m.data().get("data").asText());
            assertEquals("1:" + m.data().get("epoch").asText(), m.id());
        }
    }

    /** Waits for the stream's own subscribe to be answered: publications after it are the stream's. */
    private static void subscribed(SseClient s, String channel) {
        s.await(f -> ("sse:" + channel).equals(f.path("re").asText()));
    }

    @Test
    void aStreamReopenedWithLastEventIdReceivesWhatItMissed() {
        String lastId;
        try (SseClient s = stream("rita", "&channel=news:sse2")) {
            s.handshake();
            subscribed(s, "news:sse2");
            gw.api("POST", "/api/publish", "{\"channel\":\"news:sse2\",\"data\":\"seen\"}");
            s.await(EventStreamTest::isMessage);
            lastId = s.lastId();
        }
        gw.api("POST", "/api/publish", "{\"channel\":\"news:sse2\",\"data\":\"missed 1\"}");
        gw.api("POST", "/api/publish", "{\"channel\":\"news:sse2\",\"data\":\"missed 2\"}");
        try (SseClient again = SseClient.open(gw.http(""), "/sse?token=" + gw.token("rita") + "&channel=news:sse2", lastId)) {
            again.handshake();
            JsonNode reply = again.await(f -> "sse:news:sse2".equals(f.path("re").asText())).data().get("data");
            assertTrue(reply.get("recovered").asBoolean());
            List<String> recovered = reply.get("publications").findValuesAsText("data");
            assertEquals(List.of("missed 1", "missed 2"), recovered);
            gw.api("POST", "/api/publish", "{\"channel\":\"news:sse2\",\"data\":\"live\"}");
            SseClient.Event live = again.await(EventStreamTest::isMessage);
            assertEquals("live", live.data().get("data").asText());
            assertEquals(4, live.data().get("offset").asLong());
        }
    }

    @Test
    void severalChannelsShareOneIdThatResumesEachOfThem() {
        String lastId;
        try (SseClient s = stream("multi", "&channel=news:a3&channel=news:b3")) {
            s.handshake();
            subscribed(s, "news:a3");
            subscribed(s, "news:b3");
            gw.api("POST", "/api/publish", "{\"channel\":\"news:a3\",\"data\":\"a1\"}");
            gw.api("POST", "/api/publish", "{\"channel\":\"news:b3\",\"data\":\"b1\"}");
            s.await(f -> isMessage(f) && "b1".equals(f.path("data").asText()));
            lastId = s.lastId();
            assertTrue(lastId.contains("news%3Aa3=1:") && lastId.contains("news%3Ab3=1:"), lastId);
        }
        gw.api("POST", "/api/publish", "{\"channel\":\"news:a3\",\"data\":\"a2\"}");
        gw.api("POST", "/api/publish", "{\"channel\":\"news:b3\",\"data\":\"b2\"}");
        try (SseClient again = SseClient.open(gw.http(""), "/sse?token=" + gw.token("multi")
                + "&channel=news:a3&channel=news:b3", lastId)) {
            again.handshake();
            for (String channel : List.of("news:a3", "news:b3")) {
                JsonNode reply = again.await(f -> ("sse:" + channel).equals(f.path("re").asText())).data().get("data");
                assertEquals(1, reply.get("publications").size(), channel + " recovers exactly its one missed message");
            }
        }
    }

    @Test
    void envelopesPostedWithTheStreamKeyAreHandledAsOnASocket() {
        try (SseClient s = stream("poster", "");
             WsClient watcher = gw.connect("watcher")) {
            s.handshake();
            s.awaitType("welcome");
            watcher.call("subscribe", Map.of("channel", "chat:sse4"));
            assertNotNull(s.call("s1", "subscribe", Map.of("channel", "chat:sse4")));
            s.call("p1", "publish", Map.of("channel", "chat:sse4", "data", "over http"));
            JsonNode atWatcher = watcher.await(WsClient::isMessage);
            assertEquals("over http", atWatcher.get("data").asText());
            assertEquals("poster", atWatcher.get("from").asText());
            assertEquals("over http", s.await(EventStreamTest::isMessage).data().get("data").asText());
            assertEquals("ping", s.call("e1", "echo", Map.of("x", "ping")).get("x").asText());
        }
    }

    @Test
    void postsWithoutTheRightKeyOrTooBigAreRefusedAndTheStreamLives() {
        try (SseClient s = stream("guarded", "")) {
            s.handshake();
            s.awaitType("welcome");
            assertEquals(404, s.postWithKey("{\"type\":\"echo\",\"data\":{}}", "wrong-key"));
            assertEquals(404, s.postWithKey("{\"type\":\"echo\",\"data\":{}}", null));
            assertEquals(413, s.post(Map.of("type", "echo", "data", Map.of("x", "y".repeat(70_000)))));
            assertEquals(202, s.postWithKey("not json", keyOf(s)));
            assertEquals("bad_json", s.awaitType("error").data().at("/error/code").asText());
            assertEquals("ok", s.call("e2", "echo", Map.of("still", "ok")).get("still").asText());
        }
    }

    private static String keyOf(SseClient s) {
        try {
            var f = SseClient.class.getDeclaredField("key");
            f.setAccessible(true);
            return (String) f.get(s);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBadTicketIsAStatusNotAStream() {
        try (SseClient s = SseClient.open(gw.http(""), "/sse?token=not-a-ticket&channel=news:x", null)) {
            assertEquals(401, s.status());
        }
        try (SseClient s = SseClient.open(gw.http(""), "/sse?token=" + gw.token("x") + "&channel=bad%20name", null)) {
            assertEquals(400, s.status());
        }
    }

    @Test
    void pingCommentsKeepAQuietStreamOpenPastTheIdleTimeout() {
        try (SseClient s = stream("quiet", "")) {
            s.handshake();
            s.awaitType("welcome");
            Poll.until("ping comments past the idle timeout", Duration.ofSeconds(5), () -> s.comments() >= 10);
            assertFalse(s.ended(), "a stream whose pings are written is alive");
        }
    }

    @Test
    void aDisconnectFromTheApiEndsTheStreamWithACloseEvent() {
        try (SseClient s = stream("kicked", "")) {
            s.handshake();
            s.awaitType("welcome");
            assertEquals(200, gw.api("POST", "/api/disconnect", "{\"user\":\"kicked\",\"reason\":\"bye\"}").status());
            JsonNode close = s.awaitType("close").data();
            assertEquals(dev.switchboard.protocol.CloseCodes.KICKED, close.get("code").asInt());
            assertEquals("bye", close.get("reason").asText());
            Poll.until("the stream ends", Duration.ofSeconds(5), s::ended);
            Poll.until("the connection left the node", Duration.ofSeconds(5),
                    () -> gw.api("GET", "/api/connections?user=kicked", null).body().path("count").asInt() == 0);
        }
    }

    @Test
    void aStreamWithoutTicketMustAuthenticateByPostOrIsClosed() {
        try (SseClient s = SseClient.open(gw.http(""), "/sse", null)) {
            s.handshake();
            JsonNode reply = s.call("a1", "auth", Map.of("token", gw.token("late")));
            assertEquals("late", reply.get("user").asText());
            assertNull(reply.get("missing"));
        }
    }

    @Test
    void severalEnvelopesInOnePostAreHandledInOrderAndTheBarePingIsAnswered() {
        try (SseClient s = stream("batcher", "")) {
            s.handshake();
            s.awaitType("welcome");
            assertEquals(202, s.postWithKey("{\"id\":\"b1\",\"type\":\"echo\",\"data\":{\"n\":1}}\n"
                    + "ping\r\n{\"id\":\"b2\",\"type\":\"echo\",\"data\":{\"n\":2}}\n", keyOf(s)));
            assertEquals("b1", s.awaitType("reply").data().get("re").asText());
            s.await(f -> "pong".equals(f.asText()));
            assertEquals("b2", s.awaitType("reply").data().get("re").asText());
        }
    }

    @Test
    void aBurstOfPublicationsArrivesWholeAndInOrder() {
        try (SseClient s = stream("burst", "&channel=news:burst")) {
            s.handshake();
            subscribed(s, "news:burst");
            int n = 300;
            for (int i = 1; i <= n; i++) {
                gw.api("POST", "/api/publish", "{\"channel\":\"news:burst\",\"data\":" + i + "}");
            }
            for (int i = 1; i <= n; i++) {
                assertEquals(i, s.await(EventStreamTest::isMessage).data().get("data").asInt());
            }
        }
    }
}
