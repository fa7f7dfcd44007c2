package dev.switchboard.server.internal.delivery;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent multimap from a key (user, session, channel) to connections. Adds and removes are atomic per
 * key and report the first-in / last-out transitions (which drive engine subscriptions and occupancy; the
 * caller acts on them, never inside the map's lock); empty entries are removed so a closed connection leaves
 * no trace.
 *
 * <p>Most keys hold one connection (a session without a cookie, a user with one tab), so a lone connection
 * is stored as itself and promoted to a set only when a second one arrives: a set per key would cost a few
 * hundred bytes per connection on a node holding hundreds of thousands.
 */
final class Registry {

    /** Values are a {@link Connection} or a concurrent {@code Set<Connection>} of two or more. */
    private final Map<String, Object> byKey = new ConcurrentHashMap<>();

    /** What an add or a remove changed. */
    enum Change {
        /** Nothing: the connection was already there (add) or was not there (remove). */
        NONE,
        /** The connection was added or removed; the key had others and still has. */
        CHANGED,
        /** The key went from empty to one connection (add) or from one to empty (remove). */
        EDGE
    }

    /** Adds {@code c} under {@code key}. */
    Change add(String key, Connection c) {
        Change[] change = {Change.CHANGED};
        byKey.compute(key, (k, value) -> {
            if (value == null) {
                change[0] = Change.EDGE;
                return c;
            }
            if (value == c) {
                change[0] = Change.NONE;
                return c;
            }
            Set<Connection> set = asSet(value);
            if (!set.add(c)) {
                change[0] = Change.NONE;
            }
            return set;
        });
        return change[0];
    }

    /** Removes {@code c} from {@code key}; an emptied key is dropped. */
    Change remove(String key, Connection c) {
        Change[] change = {Change.NONE};
        byKey.computeIfPresent(key, (k, value) -> {
            Object rest = value;
            if (value == c) {
                change[0] = Change.EDGE;
                rest = null;
            } else if (value instanceof Set<?> set && set.remove(c)) {
                change[0] = set.isEmpty() ? Change.EDGE : Change.CHANGED;
                rest = set.isEmpty() ? null : set;
            }
            return rest;
        });
        return change[0];
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

    /** Each key that {@code keys} accepts with its number of connections, largest first, at most {@code limit}. */
    List<Map.Entry<String, Integer>> largest(int limit, java.util.function.Predicate<String> keys) {
        List<Map.Entry<String, Integer>> out = new java.util.ArrayList<>();
        byKey.forEach((key, value) -> {
            if (keys.test(key)) {
                out.add(Map.entry(key, value instanceof Set<?> set ? set.size() : 1));
            }
        });
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
