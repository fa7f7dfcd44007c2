package dev.switchboard.server.engine.redis;

import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.engine.EngineContractTest;
import dev.switchboard.server.engine.EngineListener;
import dev.switchboard.server.engine.RetentionRules;
import dev.switchboard.server.testing.RedisClusterProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The engine contract on a local 3-master Redis Cluster: slot-routed scripts and sharded Pub/Sub. */
class RedisClusterEngineContractTest extends EngineContractTest {

    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisClusterProcess.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static RedisClusterProcess cluster() {
        return cluster;
    }

    @Override
    protected Engine newEngine(RetentionRules rules, EngineListener listener) {
        RedisEngine e = new RedisEngine(RedisEngineOptions.of(cluster.uri(), "test-node", rules));
        e.start(listener);
        return e;
    }
}
