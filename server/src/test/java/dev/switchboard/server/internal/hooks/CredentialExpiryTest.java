package dev.switchboard.server.internal.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.server.support.HookBackend;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A connection never outlives its credential: refresh by the client, by the refresh hook, or close 4005. */
class CredentialExpiryTest {

    private static final Duration WAIT = Duration.ofSeconds(8);

    private static TestGateway shortTickets(java.util.function.Consumer<dev.switchboard.server.config.GatewayConfig> more) {
        return TestGateway.start(c -> {
            c.ticketTtl = Duration.ofSeconds(2);
            c.refreshGrace = Duration.ofMillis(1500);
            more.accept(c);
        });
    }

    @Test
    void theClientIsAskedForANewTicketAndStaysWhenItSendsOne() {
        try (TestGateway gw = shortTickets(c -> { }); WsClient c = gw.connect("alice")) {
            JsonNode refresh = c.await(WsClient.ofType("refresh"), WAIT);
            assertTrue(refresh.path("deadline").asLong() > refresh.path("expiresAt").asLong(), refresh.toString());
            long renewed = c.call("refresh", Map.of("token", gw.token("alice"))).path("expiresAt").asLong();
            assertTrue(renewed > refresh.path("expiresAt").asLong());
            // The renewed credential expires in turn: a second request proves the first grace passed unharmed.
            c.await(WsClient.ofType("refresh"), WAIT);
            assertFalse(c.isClosed());
            assertEquals("ok", c.call("echo", "ok").asText());
            // Not answered this time: closed once the grace period is over.
            assertEquals(CloseCodes.CREDENTIAL_EXPIRED, c.awaitClose(WAIT));
        }
    }

    @Test
    void aTicketForAnotherUserCannotRenewAConnection() {
        try (TestGateway gw = shortTickets(c -> c.ticketTtl = Duration.ofMinutes(1)); WsClient c = gw.connect("alice")) {
            assertEquals("forbidden", c.callError("refresh", Map.of("token", gw.token("mallory"))));
            assertEquals("token_invalid", c.callError("refresh", Map.of("token", "forged")));
        }
    }

    @Test
    void theRefreshHookExtendsUntilItSaysExpired() {
        AtomicInteger calls = new AtomicInteger();
        try (HookBackend backend = new HookBackend()) {
            backend.on("/refresh", (call, ex) -> {
                boolean extend = calls.incrementAndGet() <= 2;
                HookBackend.respond(ex, 200, "application/json", extend
                        ? "{\"expiresAt\":" + (System.currentTimeMillis() + 1200) + "}"
                        : "{\"expired\":true,\"reason\":\"subscription ended\"}");
            });
            try (TestGateway gw = shortTickets(c -> c.hookRefreshUrl = backend.url("/refresh"));
                 WsClient c = gw.connect("alice")) {
                assertEquals(CloseCodes.CREDENTIAL_EXPIRED, c.awaitClose(Duration.ofSeconds(15)));
                assertEquals("subscription ended", c.closeReason());
                assertEquals(3, calls.get());
                assertEquals("alice", backend.next("/refresh").body().path("user").asText());
            }
        }
    }
}
