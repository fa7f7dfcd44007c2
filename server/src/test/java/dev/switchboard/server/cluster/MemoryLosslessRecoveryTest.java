package dev.switchboard.server.cluster;

import dev.switchboard.server.support.TestGateway;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Lossless recovery on the in-memory engine (one node). */
class MemoryLosslessRecoveryTest extends LosslessRecoveryContract {

    private TestGateway gateway;

    @Override
    protected List<TestGateway> gateways() {
        gateway = TestGateway.start(c -> c.historySize = 2 * TOTAL);
        return List.of(gateway);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }
}
