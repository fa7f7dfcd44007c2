package dev.switchboard.server;

import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.engine.Engines;
import dev.switchboard.server.engine.RetentionRules;
import dev.switchboard.server.engine.memory.MemoryBroker;
import dev.switchboard.server.engine.memory.MemoryEngines;
import dev.switchboard.server.engine.redis.RedisEngineOptions;
import dev.switchboard.server.engine.redis.RedisEngines;
import java.time.Clock;

/**
 * The engines named by {@code --engine}. A new engine is a new package plus one line here; an application
 * that brings its own passes an {@link Engines.Provider} to {@link Gateway#Gateway(GatewayConfig, Clock, Engines.Provider)}.
 */
final class EngineChoice implements Engines.Provider {

    private final GatewayConfig config;
    private final Clock clock;

    EngineChoice(GatewayConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Engines open(String nodeId) {
        RetentionRules retention = NodeSettings.retention(config);
        return switch (config.engine) {
            case "memory" -> MemoryEngines.create(retention, clock, config.historyChannelBytes,
                    config.historyNodeBytes != null ? config.historyNodeBytes : MemoryBroker.defaultNodeBytes());
            // what another node may send: a frame or a publication of the largest message or HTTP body, encoded
            case "redis" -> RedisEngines.open(new RedisEngineOptions(config.redis, config.redisPrefix, nodeId, retention,
                    config.presenceTtl, config.redisTimeout, 2 * Math.max(config.maxMessageSize, config.maxHttpBody) + 4096,
                    (int) Math.clamp(config.historyChannelBytes / RedisEngineOptions.BYTES_PER_KEY, 1, Integer.MAX_VALUE)));
            default -> throw new IllegalArgumentException("unknown engine '" + config.engine + "' (memory, redis)");
        };
    }
}
