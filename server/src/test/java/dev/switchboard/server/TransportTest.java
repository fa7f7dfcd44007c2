package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.support.RawWebSocket;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Paths, origins, cookies, size limits, malformed input, bare ping, binary frames, rate limits. */
class TransportTest {

    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(c -> {
            c.maxMessageSize = 1024;
            c.allowedOrigins = List.of("https://app.example.com");
            c.rateLimit = 20;
            c.rateBurst = 20;
        });
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void unknownPathIs404NeverAnUpgrade() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(gw.port(), "/nope", Map.of())) {
            assertEquals(404, raw.status());
        }
        assertEquals(404, gw.get("/api/nope").status());
        assertEquals(426, gw.get("/ws").status());
        assertEquals(405, gw.get("/api/publish").status());
    }

    @Test
    void originAllowlist() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(gw.port(), "/ws", Map.of("Origin", "https://evil.example"))) {
            assertEquals(403, raw.status());
        }
        for (String allowed : List.of("https://app.example.com", "http://localhost:3000", "http://127.0.0.1:" + gw.port())) {
            try (RawWebSocket raw = RawWebSocket.connect(gw.port(), "/ws", Map.of("Origin", allowed))) {
                assertEquals(101, raw.status(), allowed);
            }
        }
        try (TestGateway prod = TestGateway.start(c -> c.dev = false)) {
            try (RawWebSocket raw = RawWebSocket.connect(prod.port(), "/ws", Map.of("Origin", "http://localhost:3000"))) {
                assertEquals(403, raw.status(), "localhost origins are a dev-mode convenience only");
            }
        }
    }

    @Test
    void sessionCookieIsSetOnceAndSharedByConnections() throws Exception {
        String cookie;
        try (RawWebSocket raw = RawWebSocket.connect(gw.port(), "/ws", Map.of())) {
            Matcher m = Pattern.compile("(?i)set-cookie: (sb_sid=[^;]+);[^\\r]*HttpOnly; SameSite=Lax").matcher(raw.handshakeResponse());
            assertTrue(m.find(), raw.handshakeResponse());
            cookie = m.group(1);
        }
        try (RawWebSocket raw = RawWebSocket.connect(gw.port(), "/ws", Map.of("Cookie", cookie))) {
            assertTrue(!raw.handshakeResponse().toLowerCase().contains("set-cookie"), "no new cookie when one is presented");
        }
        String token = gw.token("alice");
        try (WsClient a = WsClient.open(gw.ws("/ws?token=" + token), cookie);
             WsClient b = WsClient.open(gw.ws("/ws?token=" + token), cookie);
             WsClient other = WsClient.open(gw.ws("/ws?token=" + token))) {
            String sa = a.awaitType("welcome").get("session").asText();
            String sb = b.awaitType("welcome").get("session").asText();
            String so = other.awaitType("welcome").get("session").asText();
            assertEquals(sa, sb);
            assertNotEquals(sa, so);
            assertTrue(!sa.contains(cookie.substring(7)), "the cookie itself never appears on the wire");
        }
    }

    @Test
    void oversizedMessageClosesWith1009AndNeighboursStayUp() throws Exception {
        try (WsClient neighbour = gw.connect("bob");
             RawWebSocket raw = RawWebSocket.connect(gw.port(), "/ws?token=" + gw.token("alice"), Map.of())) {
            assertEquals(101, raw.status());
            raw.sendText("x".repeat(5000));
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, raw.awaitClose());
            assertEquals(1, neighbour.call("echo", Map.of("still", 1)).get("still").asInt());
        }
        // the same limit applies to a message split into fragments
        try (RawWebSocket raw = RawWebSocket.connect(gw.port(), "/ws?token=" + gw.token("alice"), Map.of())) {
            raw.sendFrame(RawWebSocket.TEXT, false, "x".repeat(700).getBytes());
            raw.sendFrame(0, true, "x".repeat(700).getBytes());
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, raw.awaitClose());
        }
    }

    @Test
    void malformedInputGetsErrorFramesAndTheConnectionSurvives() {
        try (WsClient c = gw.connect("alice"); WsClient neighbour = gw.connect("bob")) {
            Map<String, String> cases = Map.of(
                    "{not json", "bad_json",
                    "[1,2,3]", "bad_envelope",
                    "{\"data\":1}", "bad_envelope",
                    "{\"type\":42}", "bad_envelope",
                    "{\"id\":{\"a\":1},\"type\":\"echo\"}", "bad_envelope",
                    "{\"type\":\"no.such.type\"}", "unknown_type",
                    "{\"type\":\"publish\",\"data\":{}}", "bad_request",
                    "{\"type\":\"subscribe\",\"data\":{\"channel\":\"has space\"}}", "bad_request",
                    "[".repeat(100) + "]".repeat(100), "bad_json");
            for (var e : cases.entrySet()) {
                c.sendText(e.getKey());
                JsonNode error = c.awaitType("error");
                assertEquals(e.getValue(), error.at("/error/code").asText(), e.getKey());
            }
            c.sendText("{\"id\":\"q1\",\"type\":\"no.such.type\"}");
            assertEquals("q1", c.awaitType("error").get("re").asText(), "errors are correlated when the id was readable");
            c.sendBinary(new byte[] {1, 2, 3});
            assertEquals("bad_envelope", c.awaitType("error").at("/error/code").asText());
            assertEquals(7, c.call("echo", Map.of("n", 7)).get("n").asInt());
            assertEquals(8, neighbour.call("echo", Map.of("n", 8)).get("n").asInt());
        }
    }

    @Test
    void barePingGetsBarePong() {
        try (WsClient c = WsClient.open(gw.ws("/ws"))) {
            c.sendText("ping");
            assertEquals("pong", c.awaitText(t -> t.equals("pong")));
        }
    }

    @Test
    void jsonPingGetsPongEvenBeforeAuth() {
        try (WsClient c = WsClient.open(gw.ws("/ws"))) {
            c.sendText("{\"id\":\"p1\",\"type\":\"ping\"}");
            JsonNode pong = c.awaitType("pong");
            assertEquals("p1", pong.get("re").asText());
        }
    }

    @Test
    void floodingIsRateLimitedThenClosed() throws Exception {
        try (RawWebSocket flood = RawWebSocket.connect(gw.port(), "/ws?token=" + gw.token("flood"), Map.of());
             WsClient neighbour = gw.connect("calm")) {
            try {
                for (int i = 0; i < 100; i++) {
                    flood.sendText(Json.text(Map.of("type", "echo", "data", i)));
                }
            } catch (java.io.IOException closedWhileSending) {
                // the server may cut the flood off before the loop ends: that is the point
            }
            java.util.concurrent.atomic.AtomicBoolean sawRateLimited = new java.util.concurrent.atomic.AtomicBoolean();
            int closeCode = flood.awaitClose(f -> sawRateLimited.compareAndSet(false, f.text().contains("\"rate_limited\"")));
            assertTrue(sawRateLimited.get(), "told to slow down before being closed");
            assertEquals(CloseCodes.RATE_LIMIT_EXCEEDED, closeCode);
            assertEquals(1, neighbour.call("echo", Map.of("n", 1)).get("n").asInt());
        }
    }
}
