package dev.switchboard.server.engine.memory;

import dev.switchboard.server.engine.EngineContractTest;
import dev.switchboard.server.engine.EngineNode;
import dev.switchboard.server.engine.RecordingListener;
import dev.switchboard.server.engine.RetentionRules;
import java.time.Clock;

/** The engine contract on the in-memory engine (one node: every "node" of a test is the same engine). */
class MemoryEngineContractTest extends EngineContractTest {

    private EngineNode shared;

    @Override
    protected EngineNode newEngine(RetentionRules rules, RecordingListener listener) {
        if (shared == null) {
            shared = EngineNode.start(MemoryEngines.create(rules, Clock.systemUTC()), "memory", listener);
        }
        return shared;
    }

    @Override
    protected EngineNode newEngineWithKeyBound(RetentionRules rules, int keys, RecordingListener listener) {
        return EngineNode.start(MemoryEngines.create(rules, Clock.systemUTC(), keys * RecentKeys.cost("key-1"), 1L << 30),
                "memory-bound", listener);
    }
}
