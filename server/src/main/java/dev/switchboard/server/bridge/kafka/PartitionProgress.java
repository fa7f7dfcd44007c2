package dev.switchboard.server.bridge.kafka;

import java.util.TreeSet;

/**
 * Which records of one partition are safely stored, so the committed Kafka offset never passes a record
 * whose publication is not stored yet. Publishes are pipelined (many in flight, completing in any order);
 * the committable offset is the lowest one still in flight, or the one after the last record handled. A
 * failed publish pins it at the failed record until the consumer seeks back there; completions that belong
 * to before that seek are told apart by a generation number and ignored.
 */
final class PartitionProgress {

    private final TreeSet<Long> inFlight = new TreeSet<>();
    private long next;
    private long failedAt = -1;
    private int generation;
    private long committed;

    /** @param position the consumer's position at assignment: where this node starts reading */
    PartitionProgress(long position) {
        this.next = position;
        this.committed = position;
    }

    /** A record's publication started; returns the generation to hand back to {@link #done}. */
    synchronized int begin(long offset) {
        inFlight.add(offset);
        next = offset + 1;
        return generation;
    }

    /** A publication finished; {@code failed} keeps the committable offset at or before it. */
    synchronized void done(int gen, long offset, boolean failed) {
        if (gen != generation) {
            return;
        }
        inFlight.remove(offset);
        if (failed && (failedAt < 0 || offset < failedAt)) {
            failedAt = offset;
        }
    }

    /** The offset to commit: every record before it is stored. */
    synchronized long committable() {
        long c = inFlight.isEmpty() ? next : inFlight.first();
        return failedAt >= 0 ? Math.min(c, failedAt) : c;
    }

    /** The offset of the first failed record, clearing the failure and starting a new generation; or -1. */
    synchronized long takeFailure() {
        if (failedAt < 0) {
            return -1;
        }
        long at = failedAt;
        failedAt = -1;
        inFlight.clear();
        next = at;
        generation++;
        return at;
    }

    /** The generation {@link #begin} would hand out now. */
    synchronized int generation() {
        return generation;
    }

    /** Whether work begun in {@code gen} should still be published: no failure since, no seek back. */
    synchronized boolean isCurrent(int gen) {
        return gen == generation && failedAt < 0;
    }

    synchronized int inFlight() {
        return inFlight.size();
    }

    /** Whether {@link #committable()} moved past the last commit; records the new commit when it did. */
    synchronized boolean advance(long offset) {
        if (offset <= committed) {
            return false;
        }
        committed = offset;
        return true;
    }
}
