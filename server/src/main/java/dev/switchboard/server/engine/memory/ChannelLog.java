package dev.switchboard.server.engine.memory;

import dev.switchboard.server.engine.BatchEntry;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.server.engine.HistoryPolicy;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.protocol.Publication;
import java.util.ArrayList;
import java.util.List;

/**
 * One channel's offset counter, epoch and bounded history: a ring that grows on demand up to the policy's
 * size and never past it. Retained publications keep their data as encoded JSON bytes, not as parsed trees
 * (a tree of many small nodes costs up to ~30× its text: 64 KiB of {@code [{},{},…]} became 2 MiB of heap),
 * and the bytes of one channel are bounded too ({@code maxBytes}), so memory per channel is bounded whatever
 * is published. Expired publications are dropped from the front. Not thread-safe: {@link MemoryBroker}
 * serialises access per channel.
 */
final class ChannelLog {

    private static final int INITIAL_CAPACITY = 8;
    /** Fixed cost of one retained entry besides its data and from (object headers, fields, ring slot). */
    static final int ENTRY_OVERHEAD = 64;

    /** What a retained publication costs: its encoded data and sender, nothing parsed. */
    private record Stored(long offset, long ts, String from, byte[] data) {
        long bytes() {
            return ENTRY_OVERHEAD + data.length + (from == null ? 0 : 2L * from.length());
        }
    }

    private final String channel;
    private final String epoch;
    private final HistoryPolicy policy;
    private final long maxBytes;
    private final MemoryBudget budget;
    private Stored[] ring = new Stored[0];
    private int head;  // index of the oldest retained publication
    private int count; // retained publications
    private long bytes; // retained bytes, as Stored.bytes() and RecentKeys.cost() count them
    private long top;  // offset of the newest publication; 0 = none yet
    private long lastActivity;
    private final RecentKeys recentKeys;
    /** Each producer's last sequence number in this channel, and where it was published. */
    private final Map<String, Fence> fences = new HashMap<>();

    private record Fence(long number, Publication at) {
    }

    /**
     * @param maxBytes          retained bytes this channel may hold at most (oldest dropped first)
     * @param budget            the node-wide account every channel's retained bytes are charged to
     * @param dedupWindowMillis how long an idempotency key is remembered
     */
    ChannelLog(String channel, String epoch, HistoryPolicy policy, long now, long maxBytes, MemoryBudget budget,
               long dedupWindowMillis) {
        this.channel = channel;
        this.epoch = epoch;
        this.policy = policy;
        this.maxBytes = maxBytes;
        this.budget = budget;
        this.lastActivity = now;
        this.recentKeys = new RecentKeys(dedupWindowMillis);
    }

    /** A log with a 64 MiB channel bound and its own budget (tests). */
    ChannelLog(String channel, String epoch, HistoryPolicy policy, long now, long dedupWindowMillis) {
        this(channel, epoch, policy, now, 64L << 20, new MemoryBudget(Long.MAX_VALUE), dedupWindowMillis);
    }

    /** The publication made earlier under {@code idempotencyKey} within the window, or null. */
    Publication replayOf(String idempotencyKey, long now) {
        return idempotencyKey == null ? null : recentKeys.find(idempotencyKey, now);
    }

    /** What answers {@code e} when it is a repeat (of its producer's sequence, or of its key), or null. */
    Publication replayOf(BatchEntry e, long now) {
        if (e.sequence() != null) {
            Fence fence = fences.get(e.sequence().producer());
            if (fence != null && e.sequence().number() <= fence.number()) {
                return fence.at();
            }
        }
        return replayOf(e.idempotencyKey(), now);
    }

    /** Idempotency keys and producer fences held (tests). */
    int remembered() {
        return recentKeys.size() + fences.size();
    }

    /** Appends {@code e}, moving its producer's fence past it. */
    Publication append(BatchEntry e, long now) {
        Publication p = append(e.from(), e.data(), now, e.idempotencyKey());
        if (e.sequence() != null) {
            fences.put(e.sequence().producer(), new Fence(e.sequence().number(),
                    new Publication(channel, p.offset(), epoch, now, e.from(), null)));
        }
        return p;
    }

    Publication append(String from, JsonNode data, long now) {
        return append(from, data, now, null);
    }

    /** Appends the next publication; with a key, it is remembered for {@link #replayOf}. */
    Publication append(String from, JsonNode data, long now, String idempotencyKey) {
        Publication p = new Publication(channel, ++top, epoch, now, from, data);
        if (idempotencyKey != null) {
            // only the position is needed to answer a repeat: no data held for the window
            charge(recentKeys.remember(idempotencyKey, new Publication(channel, p.offset(), epoch, now, from, null)));
        }
        lastActivity = now;
        if (policy.enabled()) {
            Stored s = new Stored(p.offset(), now, from, Json.bytes(data));
            if (count == ring.length && ring.length < policy.size()) {
                grow();
            }
            if (count == ring.length) {
                dropOldest(); // full at the policy's size: the oldest goes
            }
            ring[(head + count) % ring.length] = s;
            count++;
            charge(s.bytes());
        }
        while ((bytes > maxBytes || budget.exceeded()) && trimOne(true)) {
            // over this channel's bytes, or the node's: this channel gives back first, oldest first
        }
        expire(now);
        return p;
    }

    private void charge(long n) {
        bytes += n;
        budget.add(n);
    }

    private void dropOldest() {
        Stored gone = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        count--;
        charge(-gone.bytes());
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

    long retainedBytes() {
        return bytes;
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

    /** Drops publications older than the policy's age, and keys older than the window, so they can be collected. */
    void expire(long now) {
        charge(-recentKeys.expire(now));
        long ttl = policy.ttlMillis();
        if (ttl > 0) {
            while (count > 0 && now - ring[head].ts() > ttl) {
                dropOldest();
            }
        }
        if (count == 0 && ring.length > INITIAL_CAPACITY) {
            ring = new Stored[0]; // an idle channel gives its memory back
            head = 0;
        }
    }

    /** Gives everything back to the node's budget (the log is being forgotten). */
    void release() {
        charge(-recentKeys.clear());
        while (count > 0) {
            dropOldest();
        }
        ring = new Stored[0];
        head = 0;
    }

    /**
     * Gives back the oldest of what this channel retains, a publication or an idempotency key (keeping the newest
     * publication when {@code keepNewest}: an append over the bounds); false when there was nothing to give.
     */
    boolean trimOne(boolean keepNewest) {
        boolean publication = count > (keepNewest ? 1 : 0);
        if (!publication && recentKeys.size() == 0) {
            return false;
        }
        if (publication && ring[head].ts() <= recentKeys.oldestTs()) {
            dropOldest();
        } else {
            charge(-recentKeys.dropOldest()); // a repeat of it after this makes a second publication
        }
        return true;
    }

    private Publication at(long offset, long oldestRetained) {
        Stored s = ring[(int) ((head + (offset - oldestRetained)) % ring.length)];
        return new Publication(channel, s.offset(), epoch, s.ts(), s.from(), Json.parse(s.data()));
    }

    private void grow() {
        int capacity = Math.min(policy.size(), Math.max(INITIAL_CAPACITY, ring.length * 2));
        Stored[] bigger = new Stored[capacity];
        for (int i = 0; i < count; i++) {
            bigger[i] = ring[(head + i) % ring.length];
        }
        ring = bigger;
        head = 0;
    }
}
