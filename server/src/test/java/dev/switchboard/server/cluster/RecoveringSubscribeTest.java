package dev.switchboard.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The recovering subscribe's answers on one node (memory engine), case by case. */
class RecoveringSubscribeTest {

    private TestGateway gw;

    @BeforeEach
    void start() {
        gw = TestGateway.start(c -> c.historyRules = "small:*=5/5m");
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private void publish(String channel, int n) {
        assertEquals(200, gw.api("POST", "/api/publish", "{\"channel\":\"" + channel + "\",\"data\":{\"n\":" + n + "}}").status());
    }

    private static Map<String, Object> since(String channel, long offset, String epoch) {
        return Map.of("channel", channel, "since", Json.object().put("offset", offset).put("epoch", epoch));
    }

    @Test
    void missedMessagesComeInTheReplyThenLiveOnesFollow() {
        String channel = "news:r1";
        String epoch;
        try (WsClient c = gw.connect("ann")) {
            JsonNode first = c.call("subscribe", Map.of("channel", channel));
            assertNull(first.get("recovered"), "a plain subscribe says nothing about recovery");
            epoch = first.get("epoch").asText();
            publish(channel, 1);
            assertEquals(1, c.awaitType("message").get("offset").asLong());
        }
        publish(channel, 2);
        publish(channel, 3);
        try (WsClient c = gw.connect("ann")) {
            JsonNode reply = c.call("subscribe", since(channel, 1, epoch));
            assertTrue(reply.get("recovered").asBoolean());
            assertEquals(3, reply.get("offset").asLong());
            assertEquals(2, reply.get("publications").size());
            assertEquals(2, reply.get("publications").get(0).get("data").get("n").asInt());
            assertEquals(3, reply.get("publications").get(1).get("offset").asLong());
            publish(channel, 4);
            assertEquals(4, c.awaitType("message").get("offset").asLong());
            c.assertNone(f -> "message".equals(f.path("type").asText()), Duration.ofMillis(200));
        }
    }

    @Test
    void aGapLongerThanTheRetainedHistoryIsNotRecovered() {
        String channel = "small:r2";
        String epoch;
        try (WsClient c = gw.connect("ann")) {
            epoch = c.call("subscribe", Map.of("channel", channel)).get("epoch").asText();
        }
        for (int i = 1; i <= 8; i++) {
            publish(channel, i); // only the last 5 are kept
        }
        try (WsClient c = gw.connect("ann")) {
            JsonNode reply = c.call("subscribe", since(channel, 0, epoch));
            assertFalse(reply.get("recovered").asBoolean(), reply.toString());
            assertEquals(0, reply.get("publications").size());
            assertEquals(8, reply.get("offset").asLong(), "the client resumes from here after its resync");
            publish(channel, 9);
            assertEquals(9, c.awaitType("message").get("offset").asLong());
        }
    }

    @Test
    void anUnknownEpochIsNotRecoveredAndABadSinceIsABadRequest() {
        try (WsClient c = gw.connect("ann")) {
            JsonNode reply = c.call("subscribe", since("news:r3", 0, "not-the-epoch"));
            assertFalse(reply.get("recovered").asBoolean());
            assertEquals("bad_request", c.callError("subscribe", Map.of("channel", "news:r4", "since", 5)));
            assertEquals("bad_request", c.callError("subscribe",
                    Map.of("channel", "news:r4", "since", Map.of("offset", -1, "epoch", "x"))));
        }
    }

    @Test
    void httpHistoryReadsSinceAndLimit() {
        for (int i = 1; i <= 4; i++) {
            publish("news:h", i);
        }
        TestGateway.Response r = gw.api("GET", "/api/channels/news:h/history?since=1&limit=2", null);
        assertEquals(200, r.status(), r.text());
        assertEquals(2, r.body().get("publications").size());
        assertEquals(2, r.body().get("publications").get(0).get("offset").asLong());
        assertEquals(4, r.body().get("offset").asLong());
        assertTrue(r.body().get("complete").asBoolean());
        assertEquals(400, gw.api("GET", "/api/channels/news:h/history?since=x", null).status());
    }
}
