package dev.switchboard.server.engine.memory;

import dev.switchboard.server.engine.Engines;
import dev.switchboard.server.engine.NodeDirectory;
import dev.switchboard.server.engine.RetentionRules;
import java.time.Clock;

/** The embedded default: a memory broker and memory presence for one node. */
public final class MemoryEngines {

    private MemoryEngines() {
    }

    public static Engines create(RetentionRules retention, Clock clock) {
        return create(retention, clock, MemoryBroker.DEFAULT_CHANNEL_BYTES, MemoryBroker.defaultNodeBytes());
    }

    /** With explicit bounds on the history bytes of one channel and of the whole node. */
    public static Engines create(RetentionRules retention, Clock clock, long channelBytes, long nodeBytes) {
        return new Engines(new MemoryBroker(retention, clock, channelBytes, nodeBytes), new MemoryPresence(),
                NodeDirectory.SINGLE_NODE);
    }
}
