package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every built-in type and every delivery target. */
class MessagingTest {

    static final Duration QUIET = Duration.ofMillis(300);
    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(c -> c.endpoints = List.of("/ws", "/ws/notifications"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }


    @Test
    void echoAndPing() {
        try (WsClient c = gw.connect("alice")) {
            assertEquals("hi", c.call("echo", Map.of("say", "hi")).get("say").asText());
            c.request("ping", null);
            assertTrue(c.awaitType("pong").get("ts").asLong() > 0);
        }
    }

    @Test
    void publishReachesSubscribersWithIncreasingOffsets() {
        try (WsClient a = gw.connect("alice"); WsClient b = gw.connect("bob"); WsClient outsider = gw.connect("carol")) {
            JsonNode sub = a.call("subscribe", Map.of("channel", "news:1"));
            assertEquals(0, sub.get("offset").asLong());
            b.call("subscribe", Map.of("channel", "news:1"));
            assertEquals("news:1", a.call("subscribe", Map.of("channel", "news:1")).get("channel").asText(), "idempotent");
            JsonNode r1 = b.call("publish", Map.of("channel", "news:1", "data", Map.of("n", 1)));
            JsonNode r2 = b.call("publish", Map.of("channel", "news:1", "data", Map.of("n", 2)));
            assertEquals(1, r1.get("offset").asLong());
            assertEquals(2, r2.get("offset").asLong());
            for (WsClient c : List.of(a, b)) {
                JsonNode m1 = c.await(WsClient::isMessage);
                JsonNode m2 = c.await(WsClient::isMessage);
                assertEquals("news:1", m1.get("channel").asText());
                assertEquals(1, m1.get("offset").asLong());
                assertEquals(2, m2.get("offset").asLong());
                assertEquals("bob", m1.get("from").asText());
                assertEquals(1, m1.at("/data/n").asInt());
                assertTrue(m1.get("ts").asLong() > 0);
                assertEquals(r1.get("epoch").asText(), m1.get("epoch").asText());
            }
            outsider.assertNone(WsClient::isMessage, QUIET);
            a.call("unsubscribe", Map.of("channel", "news:1"));
            b.call("publish", Map.of("channel", "news:1", "data", 3));
            b.await(WsClient::isMessage);
            a.assertNone(WsClient::isMessage, QUIET);
        }
    }

    @Test
    void sendReachesEveryConnectionOfTheUserOnEveryEndpoint() {
        try (WsClient tab1 = gw.connect("dana"); WsClient tab2 = gw.connect("dana");
             WsClient notifications = gw.connect("/ws/notifications", "dana");
             WsClient other = gw.connect("eve"); WsClient sender = gw.connect("frank")) {
            sender.call("send", Map.of("user", "dana", "data", Map.of("text", "psst")));
            for (WsClient c : List.of(tab1, tab2, notifications)) {
                JsonNode m = c.await(WsClient::isMessage);
                assertEquals("dana", m.get("to").asText());
                assertEquals("frank", m.get("from").asText());
                assertEquals("psst", m.at("/data/text").asText());
            }
            other.assertNone(WsClient::isMessage, QUIET);
        }
    }

    @Test
    void handlersCanTargetOneConnectionOrOneSession() {
        try (TestGateway custom = TestGateway.start(c -> { }, g -> g.endpoint("/ws")
                .on("poke.connection", (ctx, msg) -> ctx.replyWhenDone(ctx.sendToConnection(msg.requireText("id"), "poke")))
                .on("poke.session", (ctx, msg) -> ctx.replyWhenDone(ctx.sendToSession(msg.requireText("id"), "poke"))))) {
            String token = custom.token("nina");
            String cookie = "sb_sid=AAAAAAAAAAAAAAAAAAAAAA";
            try (WsClient tab1 = WsClient.open(custom.ws("/ws?token=" + token), cookie);
                 WsClient tab2 = WsClient.open(custom.ws("/ws?token=" + token), cookie);
                 WsClient otherDevice = WsClient.open(custom.ws("/ws?token=" + token));
                 WsClient poker = custom.connect("oscar")) {
                JsonNode w1 = tab1.awaitType("welcome");
                String session = w1.get("session").asText();
                assertEquals(session, tab2.awaitType("welcome").get("session").asText());
                otherDevice.awaitType("welcome");

                poker.call("poke.connection", Map.of("id", w1.get("connection").asText()));
                JsonNode m = tab1.await(WsClient::isMessage);
                assertEquals("poke", m.get("data").asText());
                assertEquals("oscar", m.get("from").asText());
                tab2.assertNone(WsClient::isMessage, QUIET);

                poker.call("poke.session", Map.of("id", session));
                tab1.await(WsClient::isMessage);
                tab2.await(WsClient::isMessage);
                otherDevice.assertNone(WsClient::isMessage, QUIET);

                var viaApi = custom.api("POST", "/api/send", "{\"session\":\"" + session + "\",\"data\":\"api\"}");
                assertEquals(200, viaApi.status());
                assertEquals("api", tab2.await(WsClient::isMessage).get("data").asText());
            }
        }
    }

    @Test
    void broadcastNeedsPermissionReachesTheEndpointAndCanExcludeTheSender() {
        String admin = gw.apiWithKey("POST", "/auth/token", "{\"user\":\"admin\",\"broadcast\":true}", null).body().get("token").asText();
        try (WsClient a = WsClient.open(gw.ws("/ws?token=" + admin)); WsClient b = gw.connect("gina");
             WsClient elsewhere = gw.connect("/ws/notifications", "hank"); WsClient plain = gw.connect("ivan")) {
            a.awaitType("welcome");
            assertEquals("forbidden", plain.callError("broadcast", Map.of("data", 1)));
            a.call("broadcast", Map.of("data", Map.of("text", "all")));
            JsonNode m = b.await(WsClient::isMessage);
            assertTrue(m.get("broadcast").asBoolean());
            assertEquals("all", m.at("/data/text").asText());
            a.assertNone(WsClient::isMessage, QUIET);
            elsewhere.assertNone(WsClient::isMessage, QUIET);
            a.call("broadcast", Map.of("data", 2, "excludeSelf", false));
            assertEquals(2, a.await(WsClient::isMessage).get("data").asInt());
        }
    }

    @Test
    void presenceJoinLeaveAndQuery() {
        try (WsClient a = gw.connect("jack")) {
            a.call("subscribe", Map.of("channel", "chat:room1"));
            assertEquals("jack", a.await(f -> "presence".equals(f.path("type").asText())).get("user").asText(),
                    "a subscriber sees its own join too");
            WsClient b1 = gw.connect("kate");
            WsClient b2 = gw.connect("kate");
            b1.call("subscribe", Map.of("channel", "chat:room1"));
            JsonNode join = a.await(f -> "presence".equals(f.path("type").asText()));
            assertEquals("join", join.get("event").asText());
            assertEquals("kate", join.get("user").asText());
            b2.call("subscribe", Map.of("channel", "chat:room1"));
            JsonNode list = a.call("presence", Map.of("channel", "chat:room1"));
            assertEquals(2, list.get("users").size());
            assertEquals("kate", list.at("/users/1/user").asText());
            assertEquals(2, list.at("/users/1/connections").asInt());
            // second tab: no second join. The presence call above answered after any join frame on this socket,
            // so looking at what arrived before its reply is enough; no waiting window needed.
            a.assertNone(f -> "presence".equals(f.path("type").asText()), Duration.ZERO);
            b1.close();
            a.assertNone(f -> "presence".equals(f.path("type").asText()), QUIET); // one tab left: still present
            b2.close();
            JsonNode leave = a.await(f -> "presence".equals(f.path("type").asText()));
            assertEquals("leave", leave.get("event").asText());
            assertEquals("kate", leave.get("user").asText());
            assertEquals(1, a.call("presence", Map.of("channel", "chat:room1")).get("users").size());
            assertEquals("bad_request", a.callError("presence", Map.of("channel", "news:nopresence")));
        }
    }

    @Test
    void historyReturnsStoredPublications() {
        try (WsClient a = gw.connect("lena")) {
            for (int i = 1; i <= 5; i++) {
                a.call("publish", Map.of("channel", "log:h", "data", i));
            }
            JsonNode all = a.call("history", Map.of("channel", "log:h"));
            assertEquals(5, all.get("offset").asLong());
            assertEquals(5, all.get("publications").size());
            JsonNode since = a.call("history", Map.of("channel", "log:h", "since", 3));
            assertEquals(List.of(4L, 5L), List.of(since.at("/publications/0/offset").asLong(), since.at("/publications/1/offset").asLong()));
            JsonNode newest = a.call("history", Map.of("channel", "log:h", "limit", 2, "reverse", true));
            assertEquals(5, newest.at("/publications/0/offset").asLong());
            assertEquals(2, newest.get("publications").size());
            assertEquals("bad_request", a.callError("history", Map.of("channel", "log:h", "since", "x")));
        }
    }

    @Test
    void handlersOfOneConnectionRunInArrivalOrder() {
        try (WsClient a = gw.connect("mona")) {
            a.call("subscribe", Map.of("channel", "order:1"));
            for (int i = 0; i < 50; i++) {
                a.request("publish", Map.of("channel", "order:1", "data", i));
            }
            for (int i = 0; i < 50; i++) {
                JsonNode m = a.await(WsClient::isMessage);
                assertEquals(i, m.get("data").asInt());
                assertEquals(i + 1, m.get("offset").asLong());
            }
        }
    }
}
