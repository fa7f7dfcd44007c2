package dev.switchboard.server.engine.memory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all channels of this node retain in history, against one limit ({@code --history-node-bytes}): a
 * channel appending while the node is over the limit drops its own oldest publications first, and the
 * sweeper trims the largest channels until the node is back under it.
 */
final class MemoryBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    MemoryBudget(long limit) {
        this.limit = limit;
    }

    void add(long bytes) {
        used.addAndGet(bytes);
    }

    boolean exceeded() {
        return used.get() > limit;
    }

    long used() {
        return used.get();
    }
}
