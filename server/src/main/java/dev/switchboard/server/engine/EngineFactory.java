package dev.switchboard.server.engine;

import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.engine.memory.MemoryEngine;
import dev.switchboard.server.engine.redis.RedisEngine;
import dev.switchboard.server.engine.redis.RedisEngineOptions;
import java.time.Clock;

/** Picks the engine named by {@code --engine}. A new engine is a new class plus one line here. */
public final class EngineFactory {

    private EngineFactory() {
    }

    public static Engine create(GatewayConfig config, String nodeId, Clock clock) {
        HistoryPolicy fallback = config.historySize == 0 ? HistoryPolicy.NONE
                : new HistoryPolicy(config.historySize, config.historyTtl);
        RetentionRules retention = RetentionRules.parse(config.historyRules, fallback);
        return switch (config.engine) {
            case "memory" -> new MemoryEngine(retention, clock);
            case "redis" -> new RedisEngine(new RedisEngineOptions(config.redis, config.redisPrefix, nodeId, retention,
                    config.presenceTtl, config.redisTimeout));
            default -> throw new IllegalArgumentException("unknown engine '" + config.engine + "' (memory, redis)");
        };
    }
}
