package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** Leaving the way a rolling restart wants: not ready at once, serving through the delay, closes spread out. */
class ShutdownTest {

    @Test
    void shutdownTurnsNotReadyAtOnceAndKeepsServingThroughTheDelay() throws Exception {
        TestGateway g = TestGateway.start(c -> c.shutdownDelay = Duration.ofSeconds(2));
        WsClient c = g.connect("alice");
        assertEquals(200, g.get("/readyz").status());
        Thread leaving = Thread.ofVirtual().start(g.gateway()::shutdown);
        Poll.until("/readyz says 503", Duration.ofSeconds(5), () -> g.get("/readyz").status() == 503);
        assertEquals("still", c.call("echo", Map.of("s", "still")).path("s").asText(), "served during the delay");
        assertEquals(200, g.get("/healthz").status(), "alive, only not ready");
        WsClient late = g.connect("bob"); // a load balancer may still send one: it is served
        assertEquals(CloseCodes.RESTARTING, c.awaitClose(Duration.ofSeconds(10)));
        assertEquals(CloseCodes.RESTARTING, late.awaitClose(Duration.ofSeconds(10)));
        leaving.join(10_000);
        assertTrue(!leaving.isAlive());
    }

    @Test
    void closesAreSpreadOverTheShutdownSpreadSoClientsDoNotReturnAllAtOnce() throws Exception {
        TestGateway g = TestGateway.start(c -> c.shutdownSpread = Duration.ofMillis(1500));
        List<WsClient> clients = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            clients.add(g.connect("u" + i));
        }
        ConcurrentLinkedQueue<Long> closedAt = new ConcurrentLinkedQueue<>();
        List<Thread> waiters = new ArrayList<>();
        for (WsClient c : clients) {
            waiters.add(Thread.ofVirtual().start(() -> {
                assertEquals(CloseCodes.RESTARTING, c.awaitClose(Duration.ofSeconds(15)));
                closedAt.add(System.nanoTime());
            }));
        }
        g.close();
        for (Thread t : waiters) {
            t.join(20_000);
        }
        assertEquals(30, closedAt.size());
        long spanMillis = (closedAt.stream().mapToLong(Long::longValue).max().orElseThrow()
                - closedAt.stream().mapToLong(Long::longValue).min().orElseThrow()) / 1_000_000;
        assertTrue(spanMillis >= 700, "30 closes spread over 1.5 s took only " + spanMillis + " ms from first to last");
    }
}
