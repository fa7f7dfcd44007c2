package dev.switchboard.server.engine.memory;

import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.engine.EngineContractTest;
import dev.switchboard.server.engine.EngineListener;
import dev.switchboard.server.engine.RetentionRules;
import java.time.Clock;

/** The engine contract on the in-memory engine (one node: every "node" of a test is the same engine). */
class MemoryEngineContractTest extends EngineContractTest {

    private MemoryEngine shared;

    @Override
    protected Engine newEngine(RetentionRules rules, EngineListener listener) {
        if (shared == null) {
            shared = new MemoryEngine(rules, Clock.systemUTC());
            shared.start(listener);
        }
        return shared;
    }
}
