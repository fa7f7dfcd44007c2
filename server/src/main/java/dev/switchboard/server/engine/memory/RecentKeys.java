package dev.switchboard.server.engine.memory;

import dev.switchboard.protocol.Publication;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The idempotency keys of one channel's recent publications, so a publish repeated within the window (a
 * bridge replaying records after a crash, a backend retrying a timed-out call) returns the first
 * publication instead of making a second one. Insertion order is time order: expiry trims from the front.
 * Not thread-safe: used under its channel log's lock.
 */
final class RecentKeys {

    private final long windowMillis;
    private final Map<String, Publication> byKey = new LinkedHashMap<>();

    RecentKeys(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** The publication already made under {@code key} within the window, or null. */
    Publication find(String key, long now) {
        expire(now);
        return byKey.get(key);
    }

    void remember(String key, Publication p) {
        byKey.put(key, p);
    }

    void expire(long now) {
        for (Iterator<Publication> it = byKey.values().iterator(); it.hasNext(); ) {
            if (now - it.next().ts() <= windowMillis) {
                return;
            }
            it.remove();
        }
    }

    int size() {
        return byKey.size();
    }
}
