package dev.switchboard.server.delivery;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent multimap from a key (user, session, channel, endpoint) to connections. Adds and removes are
 * atomic per key and report the first-in / last-out transitions, which drive engine subscriptions and
 * presence; empty entries are removed so a closed connection leaves no trace.
 */
final class Registry {

    private final Map<String, Set<Connection>> byKey = new ConcurrentHashMap<>();

    /**
     * Adds {@code c} under {@code key}; {@code onFirst} runs (inside the key's lock, so transitions of one key
     * are ordered) when this makes the key non-empty.
     *
     * @return whether {@code c} was not there yet
     */
    boolean add(String key, Connection c, Runnable onFirst) {
        boolean[] added = new boolean[1];
        byKey.compute(key, (k, set) -> {
            Set<Connection> s = set == null ? ConcurrentHashMap.newKeySet(4) : set;
            added[0] = s.add(c);
            if (set == null && onFirst != null) {
                onFirst.run();
            }
            return s;
        });
        return added[0];
    }

    boolean add(String key, Connection c) {
        return add(key, c, null);
    }

    /**
     * Removes {@code c} from {@code key}; {@code onLast} runs (inside the key's lock) when the key becomes empty.
     *
     * @return whether {@code c} was there
     */
    boolean remove(String key, Connection c, Runnable onLast) {
        boolean[] removed = new boolean[1];
        byKey.computeIfPresent(key, (k, set) -> {
            removed[0] = set.remove(c);
            if (set.isEmpty()) {
                if (onLast != null) {
                    onLast.run();
                }
                return null;
            }
            return set;
        });
        return removed[0];
    }

    boolean remove(String key, Connection c) {
        return remove(key, c, null);
    }

    /** The connections under {@code key} (a live view; empty when none). */
    Collection<Connection> get(String key) {
        Set<Connection> set = byKey.get(key);
        return set == null ? List.of() : set;
    }

    int keyCount() {
        return byKey.size();
    }

    /** Total entries across keys (for leak checks). */
    int entryCount() {
        int n = 0;
        for (Set<Connection> s : byKey.values()) {
            n += s.size();
        }
        return n;
    }

    Set<String> keys() {
        return byKey.keySet();
    }
}
