package dev.switchboard.server.engine.redis;

import dev.switchboard.server.engine.EngineNode;
import dev.switchboard.server.engine.EngineContractTest;
import dev.switchboard.server.engine.RecordingListener;
import dev.switchboard.server.engine.RetentionRules;
import dev.switchboard.server.support.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The engine contract on one real redis-server; every "node" is its own RedisEngines with its own connections. */
class RedisEngineContractTest extends EngineContractTest {

    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected EngineNode newEngine(RetentionRules rules, RecordingListener listener) {
        return EngineNode.start(RedisEngines.open(RedisEngineOptions.of(redis.uri(), "test-node", rules)), "test-node", listener);
    }
}
