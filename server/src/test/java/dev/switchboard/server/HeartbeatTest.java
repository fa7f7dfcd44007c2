package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.RawWebSocket;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Server pings, and termination of peers that stop answering. */
class HeartbeatTest {

    @Test
    void stalledConnectionIsTerminatedAndLeavesEveryRegistry() throws Exception {
        try (TestGateway gw = TestGateway.start(c -> {
            c.pingInterval = Duration.ofMillis(200);
            c.idleTimeout = Duration.ofMillis(800);
        })) {
            try (RawWebSocket stalled = RawWebSocket.connect(gw.port(), "/ws?token=" + gw.token("alice"), Map.of());
                 WsClient healthy = gw.connect("bob")) {
                // The raw client reads frames but never answers pings: a dead peer as the server sees one.
                java.util.concurrent.atomic.AtomicBoolean sawPing = new java.util.concurrent.atomic.AtomicBoolean();
                int closeCode = stalled.awaitClose(f -> sawPing.compareAndSet(false, f.opcode() == RawWebSocket.PING));
                assertTrue(sawPing.get(), "the server pings");
                assertEquals(CloseCodes.HEARTBEAT_TIMEOUT, closeCode);
                // The JDK client answers pings by itself, so it stays.
                assertEquals(1, healthy.call("echo", Map.of("n", 1)).get("n").asInt());
                assertTrue(!healthy.isClosed());
                Poll.until("alice leaves the registries", Duration.ofSeconds(5),
                        () -> gw.gateway().registry().connectionsOfUser("alice").isEmpty());
                assertEquals(1, gw.gateway().registry().connectionCount());
            }
        }
    }
}
