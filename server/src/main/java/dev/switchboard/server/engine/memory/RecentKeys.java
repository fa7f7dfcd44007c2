package dev.switchboard.server.engine.memory;

import dev.switchboard.protocol.Publication;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The idempotency keys of one channel's recent publications, so a publish repeated within the window (a
 * backend retrying a timed-out call) returns the first publication instead of making a second one. Insertion
 * order is time order: expiry and eviction take from the front. Each key's memory is counted
 * ({@link #cost}), so that its channel log can charge it to the same bounds as its history: a backend sending
 * a fresh key with every publication cannot grow a channel, or the node, past them. Not thread-safe: used under
 * its channel log's lock.
 */
final class RecentKeys {

    /** A key's fixed cost besides its characters: map entry and table slot, the String, the position record. */
    static final int KEY_OVERHEAD = 160;

    private final long windowMillis;
    private final Map<String, Publication> byKey = new LinkedHashMap<>();

    RecentKeys(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** What remembering {@code key} costs, in the bytes history is counted in. */
    static long cost(String key) {
        return KEY_OVERHEAD + 2L * key.length();
    }

    /** The publication already made under {@code key} within the window, or null (expired keys are not freed here). */
    Publication find(String key, long now) {
        Publication p = byKey.get(key);
        return p == null || now - p.ts() > windowMillis ? null : p;
    }

    /** Remembers {@code key}; returns the bytes it added (a key past its window but not yet expired moves to the end). */
    long remember(String key, Publication p) {
        Publication before = byKey.remove(key); // a re-put would keep its old place and break the time order
        byKey.put(key, p);
        return before == null ? cost(key) : 0;
    }

    /** Forgets the keys older than the window; returns the bytes freed. */
    long expire(long now) {
        long freed = 0;
        for (Iterator<Map.Entry<String, Publication>> it = byKey.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Publication> e = it.next();
            if (now - e.getValue().ts() <= windowMillis) {
                break;
            }
            freed += cost(e.getKey());
            it.remove();
        }
        return freed;
    }

    /** The oldest key's time, or {@link Long#MAX_VALUE} when there is none. */
    long oldestTs() {
        return byKey.isEmpty() ? Long.MAX_VALUE : byKey.values().iterator().next().ts();
    }

    /** Forgets the oldest key (there must be one); returns the bytes freed. */
    long dropOldest() {
        Iterator<Map.Entry<String, Publication>> it = byKey.entrySet().iterator();
        String key = it.next().getKey();
        it.remove();
        return cost(key);
    }

    /** Forgets every key; returns the bytes freed. */
    long clear() {
        long freed = 0;
        for (String key : byKey.keySet()) {
            freed += cost(key);
        }
        byKey.clear();
        return freed;
    }

    int size() {
        return byKey.size();
    }
}
