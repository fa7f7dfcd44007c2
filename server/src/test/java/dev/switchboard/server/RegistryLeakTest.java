package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** 1,000 connect / subscribe / disconnect cycles, concurrently, then every registry must be empty. */
class RegistryLeakTest {

    @Test
    void registriesAreEmptyAfterManyCycles() throws Exception {
        try (TestGateway gw = TestGateway.start(c -> c.presenceChannels = "chat:*")) {
            String[] tokens = {gw.token("u0"), gw.token("u1"), gw.token("u2"), gw.token("u3")};
            try (var pool = Executors.newFixedThreadPool(8)) {
                List<Future<?>> jobs = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
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
            Poll.until("every registry empty", Duration.ofSeconds(10), () -> gw.gateway().hub().registrySizes(),
                    sizes -> sizes.values().stream().allMatch(v -> v == 0));
            for (int i = 0; i < 10; i++) {
                assertEquals(0, gw.gateway().hub().presence("chat:leak" + i).join().size());
            }
        }
    }
}
