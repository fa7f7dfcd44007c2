package dev.switchboard.server.cluster;

import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.RedisServerProcess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Lossless recovery on the Redis engine: two nodes on one Redis, the client alternating between them. */
class RedisLosslessRecoveryTest extends LosslessRecoveryContract {

    private RedisServerProcess redis;
    private final List<TestGateway> nodes = new ArrayList<>();

    @Override
    protected List<TestGateway> gateways() {
        try {
            redis = RedisServerProcess.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < 2; i++) {
            String id = "n" + i;
            nodes.add(TestGateway.start(c -> {
                c.engine = "redis";
                c.redis = redis.uri();
                c.nodeId = id;
                c.historySize = 2 * TOTAL;
            }));
        }
        return nodes;
    }

    @AfterEach
    void stop() {
        nodes.forEach(TestGateway::close);
        if (redis != null) {
            redis.close();
        }
    }
}
