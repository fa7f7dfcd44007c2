package dev.switchboard.server.engine.memory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.server.engine.HistoryPolicy;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.server.engine.Publication;
import dev.switchboard.protocol.StreamPosition;
import java.util.ArrayList;
import java.util.List;

/**
 * One channel's offset counter, epoch and bounded history: a ring that grows on demand up to the policy's
 * size and never past it, so memory per channel is bounded whatever the publish rate. Expired publications
 * are dropped from the front. Not thread-safe: {@link MemoryBroker} serialises access per channel.
 */
final class ChannelLog {

    private static final int INITIAL_CAPACITY = 8;

    private final String channel;
    private final String epoch;
    private final HistoryPolicy policy;
    private Publication[] ring = new Publication[0];
    private int head;  // index of the oldest retained publication
    private int count; // retained publications
    private long top;  // offset of the newest publication; 0 = none yet
    private long lastActivity;
    private final RecentKeys recentKeys;

    /** @param dedupWindowMillis how long an idempotency key is remembered */
    ChannelLog(String channel, String epoch, HistoryPolicy policy, long now, long dedupWindowMillis) {
        this.channel = channel;
        this.epoch = epoch;
        this.policy = policy;
        this.lastActivity = now;
        this.recentKeys = new RecentKeys(dedupWindowMillis);
    }

    /** The publication made earlier under {@code idempotencyKey} within the window, or null. */
    Publication replayOf(String idempotencyKey, long now) {
        return idempotencyKey == null ? null : recentKeys.find(idempotencyKey, now);
    }

    Publication append(String from, JsonNode data, long now) {
        return append(from, data, now, null);
    }

    /** Appends the next publication; with a key, it is remembered for {@link #replayOf}. */
    Publication append(String from, JsonNode data, long now, String idempotencyKey) {
        Publication p = new Publication(channel, ++top, epoch, now, from, data);
        if (idempotencyKey != null) {
            recentKeys.remember(idempotencyKey, p);
        }
        lastActivity = now;
        if (policy.enabled()) {
            if (count == ring.length && ring.length < policy.size()) {
                grow();
            }
            if (count == ring.length) {
                ring[head] = p; // full at the policy's size: overwrite the oldest
                head = (head + 1) % ring.length;
            } else {
                ring[(head + count) % ring.length] = p;
                count++;
            }
        }
        expire(now);
        return p;
    }

    StreamPosition position(long now) {
        lastActivity = now;
        return new StreamPosition(top, epoch);
    }

    long lastActivity() {
        return lastActivity;
    }

    int retained() {
        return count;
    }

    HistoryPage<Publication> read(HistoryQuery q, long now) {
        expire(now);
        lastActivity = now;
        long oldestRetained = count == 0 ? top + 1 : ring[head].offset();
        long from = q.since() == null ? oldestRetained : Math.max(q.since() + 1, oldestRetained);
        boolean complete = q.since() == null || q.since() + 1 >= oldestRetained || q.since() >= top;
        List<Publication> out = new ArrayList<>();
        if (q.limit() != 0 && from <= top && count > 0) {
            int limit = q.limit() < 0 ? Integer.MAX_VALUE : q.limit();
            if (q.reverse()) {
                for (long o = top; o >= from && out.size() < limit; o--) {
                    out.add(at(o, oldestRetained));
                }
            } else {
                for (long o = from; o <= top && out.size() < limit; o++) {
                    out.add(at(o, oldestRetained));
                }
            }
        }
        return new HistoryPage<>(out, new StreamPosition(top, epoch), complete);
    }

    /** Drops publications older than the policy's age so their payloads can be collected. */
    void expire(long now) {
        recentKeys.expire(now);
        long ttl = policy.ttlMillis();
        if (ttl <= 0) {
            return;
        }
        while (count > 0 && now - ring[head].ts() > ttl) {
            ring[head] = null;
            head = (head + 1) % ring.length;
            count--;
        }
        if (count == 0 && ring.length > INITIAL_CAPACITY) {
            ring = new Publication[0]; // an idle channel gives its memory back
            head = 0;
        }
    }

    private Publication at(long offset, long oldestRetained) {
        return ring[(int) ((head + (offset - oldestRetained)) % ring.length)];
    }

    private void grow() {
        int capacity = Math.min(policy.size(), Math.max(INITIAL_CAPACITY, ring.length * 2));
        Publication[] bigger = new Publication[capacity];
        for (int i = 0; i < count; i++) {
            bigger[i] = ring[(head + i) % ring.length];
        }
        ring = bigger;
        head = 0;
    }
}
