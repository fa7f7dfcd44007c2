package dev.switchboard.server.internal.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.support.HookBackend;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The connect hook over HTTP: a backend on a loopback port decides who connects. */
class ConnectHookTest {

    private final HookBackend backend = new HookBackend();
    private TestGateway gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        backend.close();
    }

    private TestGateway gateway(java.util.function.Consumer<dev.switchboard.server.config.GatewayConfig> more) {
        gw = TestGateway.start(c -> {
            c.hookConnectUrl = backend.url("/connect");
            c.hookForwardHeaders = List.of("cookie", "user-agent");
            more.accept(c);
        });
        return gw;
    }

    @Test
    void aSessionCookieAloneAuthenticatesThroughTheHook() {
        backend.on("/connect", (call, ex) -> {
            boolean good = call.body().path("headers").path("cookie").asText().contains("app_session=good");
            HookBackend.respond(ex, 200, "application/json", good
                    ? "{\"user\":\"cookie-user\",\"channels\":{\"subscribe\":[\"room:*\"],\"publish\":[]},\"data\":{\"plan\":\"pro\"}}"
                    : "{\"error\":{\"code\":\"forbidden\",\"message\":\"log in first\"}}");
        });
        gateway(c -> { });
        try (WsClient c = WsClient.open(gw.ws("/ws"), "app_session=good")) {
            JsonNode welcome = c.awaitType("welcome");
            assertEquals("cookie-user", welcome.path("user").asText());
            assertEquals("pro", welcome.path("data").path("plan").asText());
            HookBackend.Call call = backend.next("/connect");
            assertTrue(call.body().path("ticketClaims").isNull(), call.body().toString());
            assertEquals("websocket", call.body().path("transport").asText());
            assertEquals("/ws", call.body().path("endpoint").asText());
            assertEquals("127.0.0.1", call.body().path("remoteAddr").asText());
            assertEquals(welcome.path("connection").asText(), call.body().path("connection").asText());
            assertEquals("room:1", c.call("subscribe", Map.of("channel", "room:1")).path("channel").asText());
            assertEquals("forbidden", c.callError("subscribe", Map.of("channel", "other")));
            assertEquals("forbidden", c.callError("publish", Map.of("channel", "room:1", "data", 1)));
        }
        try (WsClient c = WsClient.open(gw.ws("/ws"), "app_session=bad")) {
            JsonNode error = c.awaitType("error");
            assertEquals("forbidden", error.path("error").path("code").asText());
            assertEquals("log in first", error.path("error").path("message").asText());
            assertEquals(4003, c.awaitClose());
        }
    }

    @Test
    void theHookSeesTheTicketsClaimsAndMayReplaceTheUser() {
        backend.json("/connect", "{\"user\":\"replaced\",\"expiresAt\":" + (System.currentTimeMillis() + 600_000) + "}");
        gateway(c -> { });
        try (WsClient c = WsClient.open(gw.ws("/ws?token=" + gw.token("alice")))) {
            JsonNode welcome = c.awaitType("welcome");
            assertEquals("replaced", welcome.path("user").asText());
            assertTrue(welcome.path("expiresAt").asLong() > System.currentTimeMillis() + 500_000);
            assertEquals("alice", backend.next("/connect").body().path("ticketClaims").path("sub").asText());
        }
    }

    @Test
    void aForgedTicketNeverReachesTheHook() {
        backend.json("/connect", "{\"user\":\"anyone\"}");
        gateway(c -> { });
        try (WsClient c = WsClient.open(gw.ws("/ws?token=not.a.ticket"))) {
            assertEquals("token_invalid", c.awaitType("error").path("error").path("code").asText());
            assertEquals(4003, c.awaitClose());
        }
        assertEquals(0, backend.pending("/connect"));
    }

    @Test
    void aDisconnectAnswerClosesWithTheBackendsCode() {
        backend.json("/connect", "{\"disconnect\":{\"code\":4403,\"reason\":\"banned\"}}");
        gateway(c -> { });
        try (WsClient c = WsClient.open(gw.ws("/ws"))) {
            assertEquals(4403, c.awaitClose());
            assertEquals("banned", c.closeReason());
        }
    }

    @Test
    void anUndecidedUpgradeWaitsForAnAuthMessageWithData() {
        backend.on("/connect", (call, ex) -> {
            JsonNode data = call.body().path("data");
            HookBackend.respond(ex, 200, "application/json", data.path("password").asText().equals("open sesame")
                    ? "{\"user\":\"bob\"}" : data.isNull() ? "{}" : "{\"error\":{\"code\":\"bad_password\"}}");
        });
        gateway(c -> { });
        try (WsClient c = WsClient.open(gw.ws("/ws"))) {
            backend.next("/connect"); // the upgrade's call: no decision, so the client may auth
            assertEquals("bad_password", c.callError("auth", Map.of("data", Map.of("password", "guess"))));
            assertEquals("guess", backend.next("/connect").body().path("data").path("password").asText());
            JsonNode reply = c.call("auth", Map.of("data", Map.of("password", "open sesame")));
            assertEquals("bob", reply.path("user").asText());
            assertEquals("bob", c.awaitType("welcome").path("user").asText());
            assertEquals("already_authenticated", c.callError("auth", Map.of("data", Map.of())));
        }
    }

    @Test
    void aDeadBackendRefusesWithUnavailableUnlessTheHookFailsOpen() {
        java.net.URI dead = backend.url("/connect");
        backend.close(); // nothing listens there any more
        gateway(c -> c.hookConnectUrl = dead);
        try (WsClient c = WsClient.open(gw.ws("/ws?token=" + gw.token("alice")))) {
            assertEquals("unavailable", c.awaitType("error").path("error").path("code").asText());
            assertEquals(4003, c.awaitClose());
        }
        gw.close();
        gateway(c -> {
            c.hookConnectUrl = dead;
            c.hookFailOpen = List.of("connect");
        });
        try (WsClient c = WsClient.open(gw.ws("/ws?token=" + gw.token("alice")))) {
            assertEquals("alice", c.awaitType("welcome").path("user").asText()); // the ticket alone decides
        }
    }

    @Test
    void badAnswersGiveClearErrorsAndNeverHurtTheNeighbours() {
        String huge = "{\"user\":\"x\",\"pad\":\"" + "a".repeat(10 * 1024 * 1024) + "\"}";
        Map<String, String> answers = Map.of(
                "not-json", "this is not json",
                "wrong-type", "{\"user\":5}",
                "bad-channels", "{\"user\":\"u\",\"channels\":{\"subscribe\":\"*\"}}",
                "bad-close", "{\"disconnect\":{\"code\":1000}}",
                "array", "[1,2]",
                "huge", huge);
        backend.on("/connect", (call, ex) -> {
            String which = call.body().path("data").path("case").asText("upgrade");
            switch (which) {
                case "upgrade" -> HookBackend.respond(ex, 200, "application/json", "{}"); // wait for auth
                case "neighbour" -> HookBackend.respond(ex, 200, "application/json", "{\"user\":\"neighbour\"}");
                case "status" -> HookBackend.respond(ex, 500, "text/plain", "boom");
                case "slow" -> {
                    HookBackend.pause(Duration.ofMillis(1500));
                    HookBackend.respond(ex, 200, "application/json", "{\"user\":\"late\"}");
                }
                default -> HookBackend.respond(ex, 200, "application/json", answers.get(which));
            }
        });
        gateway(c -> c.hookTimeout = Duration.ofMillis(300));
        try (WsClient neighbour = WsClient.open(gw.ws("/ws"))) {
            backend.next("/connect");
            neighbour.call("auth", Map.of("data", Map.of("case", "neighbour")));
            Map<String, String> expected = Map.of("not-json", "hook_failed", "wrong-type", "hook_failed",
                    "bad-channels", "hook_failed", "bad-close", "hook_failed", "array", "hook_failed",
                    "huge", "hook_failed", "status", "hook_failed", "slow", "unavailable");
            expected.forEach((which, code) -> {
                try (WsClient c = WsClient.open(gw.ws("/ws"))) {
                    assertEquals(code, c.callError("auth", Map.of("data", Map.of("case", which))), which);
                    assertEquals("unauthorized", c.callError("echo", "hi"), which); // still open, still not let in
                }
                assertEquals("still here", neighbour.call("echo", "still here").asText(), which);
            });
        }
        assertTrue(gw.gateway().metrics().scrape().contains("switchboard_hook_calls_seconds_count{hook=\"connect\",outcome=\"timeout\"}"),
                "timeouts are counted");
    }
}
