package dev.switchboard.server.engine;

import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.engine.memory.MemoryEngine;
import java.time.Clock;

/** Picks the engine named by {@code --engine}. A new engine is a new class plus one line here. */
public final class EngineFactory {

    private EngineFactory() {
    }

    public static Engine create(GatewayConfig config, String nodeId, Clock clock) {
        return switch (config.engine) {
            case "memory" -> new MemoryEngine(config.historySize, config.historyTtl.toMillis(), clock);
            default -> throw new IllegalArgumentException("unknown engine '" + config.engine + "' (memory, redis)");
        };
    }
}
