package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.internal.transport.IoTransport;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The gateway serves the same on every socket transport it can load: upgrade, subscribe, publish over WS and HTTP. */
class SocketTransportTest {

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    void servesWebSocketAndHttpOn(String transport) throws Exception {
        IoTransport choice = IoTransport.parse(transport);
        assumeTrue(choice.unavailability() == null, () -> transport + " cannot load here: " + choice.unavailability());
        try (TestGateway gw = TestGateway.start(c -> c.transport = transport)) {
            assertEquals(transport, gw.gateway().transport());
            try (WsClient alice = gw.connect("alice"); WsClient bob = gw.connect("bob")) {
                bob.call("subscribe", Map.of("channel", "room"));
                alice.call("publish", Map.of("channel", "room", "data", Map.of("n", 1)));
                JsonNode m = bob.await(f -> WsClient.isMessage(f) && f.path("data").path("n").asInt() == 1);
                assertEquals("room", m.path("channel").asText());
                assertEquals(200, gw.api("POST", "/api/publish", "{\"channel\":\"room\",\"data\":{\"n\":2}}").status());
                bob.await(f -> WsClient.isMessage(f) && f.path("data").path("n").asInt() == 2);
                assertEquals("{\"n\":3}", alice.call("echo", Map.of("n", 3)).toString());
            }
        }
    }

    @Test
    void autoTakesTheFirstThatLoadsAndSaysSo() {
        try (TestGateway gw = TestGateway.start(c -> c.transport = "auto")) {
            String inUse = gw.gateway().transport();
            assertTrue(inUse.matches("(epoll|io_uring|nio) \\(auto.*\\)"), inUse);
        }
    }

    @Test
    void unknownTransportIsRefusedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IoTransport.parse("kqueue"));
        assertTrue(e.getMessage().contains("auto, io_uring, epoll, nio"), e.getMessage());
    }
}
