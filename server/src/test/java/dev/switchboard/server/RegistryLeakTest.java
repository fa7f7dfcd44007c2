package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import io.netty.util.internal.PlatformDependent;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Connect / subscribe / disconnect cycles, concurrently, half of them dropping without a close handshake:
 * afterwards every registry must be empty, and neither file descriptors nor direct memory may have grown
 * (measured against a baseline taken after a warm-up round, so pools and caches are already filled).
 */
class RegistryLeakTest {

    private static void cycles(TestGateway gw, String[] tokens, int count) throws Exception {
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                jobs.add(pool.submit(() -> {
                    WsClient c = WsClient.open(gw.ws("/ws?token=" + tokens[n % 4]));
                    c.awaitType("welcome");
                    c.call("subscribe", Map.of("channel", "chat:leak" + (n % 10)));
                    if (n % 2 == 0) {
                        c.close();
                    } else {
                        c.abort(); // half of them drop without a close handshake
                    }
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        }
        Poll.until("every registry empty", Duration.ofSeconds(10), () -> gw.gateway().registrySizes(),
                sizes -> sizes.values().stream().allMatch(v -> v == 0));
    }

    private static int openFiles() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    void registriesFileDescriptorsAndDirectMemoryAreBackToTheBaselineAfterManyCycles() throws Exception {
        try (TestGateway gw = TestGateway.start(c -> c.presenceChannels = "chat:*")) {
            String[] tokens = {gw.token("u0"), gw.token("u1"), gw.token("u2"), gw.token("u3")};
            cycles(gw, tokens, 300); // warm-up: allocator arenas, thread pools, JIT
            int fdsBefore = openFiles();
            long directBefore = PlatformDependent.usedDirectMemory();
            cycles(gw, tokens, 2_000);
            for (int i = 0; i < 10; i++) {
                assertEquals(0, gw.gateway().api().presence("chat:leak" + i).join().size());
            }
            Poll.until("file descriptors back to the baseline", Duration.ofSeconds(15), () -> openFiles() <= fdsBefore + 16);
            long directAfter = PlatformDependent.usedDirectMemory();
            System.out.printf("leak check: fds %d -> %d, direct memory %d KiB -> %d KiB after 2,000 cycles%n",
                    fdsBefore, openFiles(), directBefore >> 10, directAfter >> 10);
            assertTrue(directAfter <= directBefore + (8L << 20), "direct memory grew: " + directBefore + " -> " + directAfter);
        }
    }
}
