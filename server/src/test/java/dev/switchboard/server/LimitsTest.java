package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.GlobPattern;
import dev.switchboard.server.internal.transport.OriginPolicy;
import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.RawWebSocket;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits a public server needs, and identities that frames cannot spoof. */
class LimitsTest {

    private static RawWebSocket upgrade(TestGateway gw) throws IOException {
        return RawWebSocket.connect(gw.port(), "/ws?token=" + gw.token("lim"), Map.of());
    }

    @Test
    void connectionsPastTheNodeOrAddressLimitAreRefusedWith503AndTheirSlotsComeBack() throws Exception {
        for (boolean perAddress : new boolean[] {true, false}) {
            try (TestGateway gw = TestGateway.start(c -> {
                if (perAddress) {
                    c.maxConnectionsPerAddress = 2;
                } else {
                    c.maxConnections = 2;
                }
            })) {
                List<RawWebSocket> open = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    RawWebSocket ws = upgrade(gw);
                    assertEquals(101, ws.status());
                    open.add(ws);
                }
                RawWebSocket refused = upgrade(gw);
                assertEquals(503, refused.status(), refused.handshakeResponse());
                assertTrue(refused.handshakeResponse().toLowerCase().contains("connection: close"));
                assertTrue(readsToTheEnd(refused), "the refused socket is closed");
                open.get(0).close();
                Poll.until("the closed connection's slot is given back", Duration.ofSeconds(5), () -> {
                    try (RawWebSocket again = upgrade(gw)) {
                        return again.status() == 101;
                    } catch (IOException e) {
                        return false;
                    }
                });
                for (RawWebSocket ws : open) {
                    ws.close();
                }
            }
        }
    }

    /** Reads whatever follows (the 503's body) until the server closes; a read time-out fails. */
    private static boolean readsToTheEnd(RawWebSocket ws) throws IOException {
        try {
            while (ws.read() != null) {
                // the body, read as if it were frames: only the end matters
            }
        } catch (java.io.EOFException e) {
            // closed in the middle of what looked like a frame
        }
        return true;
    }

    @Test
    void upgradeAttemptsPerAddressAreRateLimited() throws Exception {
        try (TestGateway gw = TestGateway.start(c -> c.maxHandshakesPerAddress = 5)) {
            String token = gw.token("fast");
            int refused = 0;
            for (int i = 0; i < 30; i++) {
                try (RawWebSocket ws = RawWebSocket.connect(gw.port(), "/ws?token=" + token, Map.of())) {
                    if (ws.status() == 503) {
                        refused++;
                    }
                }
            }
            assertTrue(refused >= 15, "30 attempts at once, a burst of 10 allowed: " + refused + " refused");
        }
    }

    @Test
    void subscriptionsPerConnectionAreBounded() {
        try (TestGateway gw = TestGateway.start(c -> c.maxSubscriptions = 2); WsClient c = gw.connect("sub")) {
            c.call("subscribe", Map.of("channel", "news:1"));
            c.call("subscribe", Map.of("channel", "news:2"));
            assertEquals("limit_exceeded", c.callError("subscribe", Map.of("channel", "news:3")));
            assertEquals("news:2", c.call("subscribe", Map.of("channel", "news:2")).get("channel").asText(),
                    "subscribing again to a channel already held is not a new subscription");
            c.call("unsubscribe", Map.of("channel", "news:1"));
            c.call("subscribe", Map.of("channel", "news:3"));
        }
    }

    @Test
    void framesCannotSpoofWhoSentThem() {
        try (TestGateway gw = TestGateway.start(); WsClient eve = gw.connect("eve"); WsClient bob = gw.connect("bob")) {
            bob.call("subscribe", Map.of("channel", "chat:spoof"));
            // off the schema on purpose (sendText: WsClient.send refuses envelopes the schema does not know)
            eve.sendText(Json.text(Map.of("id", "1", "type", "publish", "from", "admin", "user", "admin", "connection", "x",
                    "data", Map.of("channel", "chat:spoof", "from", "admin", "user", "admin", "data", "hi"))));
            JsonNode m = bob.await(WsClient::isMessage);
            assertEquals("eve", m.get("from").asText(), "from is the connection's user, whatever the frame says");
            eve.sendText(Json.text(Map.of("id", "2", "type", "send", "from", "admin",
                    "data", Map.of("user", "bob", "from", "admin", "data", "psst"))));
            JsonNode dm = bob.await(WsClient::isMessage);
            assertEquals("eve", dm.get("from").asText());
        }
    }

    @Test
    void originGlobsMatchWholeHostLabelsOnly() {
        OriginPolicy policy = new OriginPolicy(GlobPattern.list("https://*.example.com"), false);
        assertTrue(policy.allows("https://app.example.com", "gw.example.com"));
        assertFalse(policy.allows("https://evil-example.com", "gw.example.com"));
        assertFalse(policy.allows("https://example.com.evil.net", "gw.example.com"));
        assertFalse(policy.allows("https://app.example.com.evil.net", "gw.example.com"));
        assertFalse(policy.allows("http://app.example.com", "gw.example.com"), "the scheme is part of the origin");
    }
}
