package dev.switchboard.server.engine.redis;

import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.engine.EngineContractTest;
import dev.switchboard.server.engine.EngineListener;
import dev.switchboard.server.engine.RetentionRules;
import dev.switchboard.server.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The engine contract on one real redis-server; every "node" is its own RedisEngine with its own connections. */
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
    protected Engine newEngine(RetentionRules rules, EngineListener listener) {
        RedisEngine e = new RedisEngine(RedisEngineOptions.of(redis.uri(), "test-node", rules));
        e.start(listener);
        return e;
    }
}
