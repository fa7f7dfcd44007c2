package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.config.ConfigFile;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Channel namespaces from the config file, as clients and the HTTP API see them. */
class NamespacesTest {

    private static TestGateway start() {
        ConfigFile file = ConfigFile.parse("ns.yaml", """
                channels: {presence: ["chat:*"]}
                namespaces:
                  chat: {history: {size: 2, ttl: 1m}, presence: true, joinLeave: false}
                  room: {presence: false, joinLeave: true}
                  news: {clientPublish: false, recover: false}
                  private: {subscribe: ["open"], publish: []}
                """, false);
        return TestGateway.start(c -> file.applyTo(c, option -> false));
    }

    @Test
    void historyPresenceAndJoinLeaveFollowTheNamespace() {
        try (TestGateway g = start(); WsClient a = g.connect("alice"); WsClient b = g.connect("bob")) {
            for (int i = 1; i <= 3; i++) {
                a.call("publish", Map.of("channel", "chat:lobby", "data", Map.of("n", i)));
            }
            JsonNode history = a.call("history", Map.of("channel", "chat:lobby"));
            assertEquals(2, history.path("publications").size(), "chat keeps 2");
            assertEquals(2, history.path("publications").get(0).path("data").path("n").asInt());

            a.call("subscribe", Map.of("channel", "chat:lobby"));
            b.call("subscribe", Map.of("channel", "chat:lobby"));
            assertEquals(2, a.call("presence", Map.of("channel", "chat:lobby")).path("users").size());
            a.assertNone(f -> "presence".equals(f.path("type").asText()), Duration.ofMillis(300));

            a.call("subscribe", Map.of("channel", "room:1"));
            b.call("subscribe", Map.of("channel", "room:1"));
            JsonNode joined = a.await(f -> "presence".equals(f.path("type").asText())
                    && "room:1".equals(f.path("channel").asText()) && "bob".equals(f.path("user").asText()));
            assertEquals("join", joined.path("event").asText());
            assertEquals("bad_request", a.callError("presence", Map.of("channel", "room:1")), "room keeps no list");
        }
    }

    @Test
    void aNamespaceCanRefuseClientPublishingAndRecovery() {
        try (TestGateway g = start(); WsClient a = g.connect("alice")) {
            assertEquals("forbidden", a.callError("publish", Map.of("channel", "news:today", "data", Map.of("x", 1))));
            assertEquals(200, g.api("POST", "/api/publish", "{\"channel\":\"news:today\",\"data\":{\"x\":1}}").status(),
                    "backends publish there through the API");
            JsonNode sub = a.call("subscribe", Map.of("channel", "news:today",
                    "since", Map.of("offset", 0, "epoch", "whatever")));
            assertFalse(sub.path("recovered").asBoolean(true), "recovery is off in news");
            assertEquals(0, sub.path("publications").size());
            assertTrue(a.call("subscribe", Map.of("channel", "chat:x", "since", Map.of("offset", 0,
                    "epoch", sub.path("epoch").asText()))).has("recovered"));
        }
    }

    @Test
    void aNamespaceDecidesTheDefaultPermissionsOfItsOwnChannels() {
        try (TestGateway g = start(); WsClient a = g.connect("alice")) {
            a.call("subscribe", Map.of("channel", "private:open"));
            assertEquals("forbidden", a.callError("subscribe", Map.of("channel", "private:closed")));
            assertEquals("forbidden", a.callError("publish", Map.of("channel", "private:open", "data", 1)));
            a.call("subscribe", Map.of("channel", "elsewhere")); // the flat default (*) elsewhere
        }
    }

    @Test
    void namespacesAreWhatEmbeddersSetInCodeToo() {
        GatewayConfig config = new GatewayConfig();
        assertTrue(config.namespaces.isEmpty());
    }
}
