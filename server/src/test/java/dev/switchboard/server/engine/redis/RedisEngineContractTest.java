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

    @Override
    protected EngineNode newEngineWithKeyBound(RetentionRules rules, int keys, RecordingListener listener) {
        return EngineNode.start(RedisEngines.open(RedisEngineOptions.of(redis.uri(), "test-node", rules).withIdempotencyKeys(keys)),
                "test-node", listener);
    }

    @org.junit.jupiter.api.Test
    void keysPastTheBoundAreDeletedFromRedisNotOnlyForgotten() throws Exception {
        EngineNode a = newEngineWithKeyBound(RULES, 3, new RecordingListener());
        try {
            String ch = channel("none:");
            for (int i = 1; i <= 50; i++) {
                await(a.publish(ch, "api", com.fasterxml.jackson.databind.node.IntNode.valueOf(i), "key-" + i));
            }
            String held = redis.command("KEYS", "sb:{c:" + ch + "}:i:*");
            org.junit.jupiter.api.Assertions.assertEquals(3, held.split("key-", -1).length - 1, held);
            org.junit.jupiter.api.Assertions.assertTrue(held.contains("key-50") && !held.contains("key-47"), held);
            org.junit.jupiter.api.Assertions.assertEquals(":3\r\n", redis.command("ZCARD", "sb:{c:" + ch + "}:ik"));
        } finally {
            a.close();
        }
    }
}
