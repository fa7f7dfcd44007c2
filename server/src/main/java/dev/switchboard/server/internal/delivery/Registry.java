package dev.switchboard.server.internal.delivery;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent multimap from a key (user, session, channel, endpoint) to connections. Adds and removes are
 * atomic per key and report the first-in / last-out transitions, which drive engine subscriptions and
 * presence; empty entries are removed so a closed connection leaves no trace.
 *
 * <p>Most keys hold one connection (a session without a cookie, a user with one tab), so a lone connection
 * is stored as itself and promoted to a set only when a second one arrives: a set per key would cost a few
 * hundred bytes per connection on a node holding hundreds of thousands.
 */
final class Registry {

    /** Values are a {@link Connection} or a concurrent {@code Set<Connection>} of two or more. */
    private final Map<String, Object> byKey = new ConcurrentHashMap<>();

    /**
     * Adds {@code c} under {@code key}; {@code onFirst} runs (inside the key's lock, so transitions of one key
     * are ordered) when this makes the key non-empty.
     *
     * @return whether {@code c} was not there yet
     */
    boolean add(String key, Connection c, Runnable onFirst) {
        boolean[] added = {true};
        byKey.compute(key, (k, value) -> {
            if (value == null) {
                if (onFirst != null) {
                    onFirst.run();
                }
                return c;
            }
            if (value == c) {
                added[0] = false;
                return c;
            }
            Set<Connection> set = asSet(value);
            added[0] = set.add(c);
            return set;
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
        byKey.computeIfPresent(key, (k, value) -> {
            Object rest = value;
            if (value == c) {
                removed[0] = true;
                rest = null;
            } else if (value instanceof Set<?> set) {
                removed[0] = set.remove(c);
                rest = set.isEmpty() ? null : set;
            }
            if (rest == null && onLast != null) {
                onLast.run();
            }
            return rest;
        });
        return removed[0];
    }

    boolean remove(String key, Connection c) {
        return remove(key, c, null);
    }

    /** The connections under {@code key} (a live view for sets; empty when none). */
    @SuppressWarnings("unchecked")
    Collection<Connection> get(String key) {
        Object value = byKey.get(key);
        if (value == null) {
            return List.of();
        }
        return value instanceof Connection c ? List.of(c) : (Set<Connection>) value;
    }

    /** Each key with its number of connections, largest first, at most {@code limit}. */
    List<Map.Entry<String, Integer>> largest(int limit) {
        List<Map.Entry<String, Integer>> out = new java.util.ArrayList<>();
        byKey.forEach((key, value) -> out.add(Map.entry(key, value instanceof Set<?> set ? set.size() : 1)));
        out.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    int keyCount() {
        return byKey.size();
    }

    /** Total entries across keys (for leak checks). */
    int entryCount() {
        int n = 0;
        for (Object value : byKey.values()) {
            n += value instanceof Set<?> set ? set.size() : 1;
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private static Set<Connection> asSet(Object value) {
        if (value instanceof Set<?> set) {
            return (Set<Connection>) set;
        }
        Set<Connection> set = ConcurrentHashMap.newKeySet(4);
        set.add((Connection) value);
        return set;
    }
}
