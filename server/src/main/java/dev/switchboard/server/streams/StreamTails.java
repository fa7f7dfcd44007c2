package dev.switchboard.server.streams;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes the live readers of a stream (long-polls, SSE, WebSocket subscribers) on this node when it changes:
 * an append, a close, a delete. A store calls {@link #changed} for its own writes; a clustered store also for
 * the writes other nodes announce. A wake says only "look again": readers re-read from their position, so a
 * wake that comes twice or late costs a read, never a message.
 */
public final class StreamTails {

    /** A live reader's registration; closing it stops its wakes. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    private final ConcurrentHashMap<String, Set<Runnable>> watchers = new ConcurrentHashMap<>();

    /** Calls {@code wake} at every change of {@code path} until the watch is closed. */
    public Watch watch(String path, Runnable wake) {
        watchers.computeIfAbsent(path, p -> ConcurrentHashMap.newKeySet()).add(wake);
        return () -> watchers.computeIfPresent(path, (p, set) -> {
            set.remove(wake);
            return set.isEmpty() ? null : set;
        });
    }

    /** Wakes every watcher of {@code path}. */
    public void changed(String path) {
        Set<Runnable> set = watchers.get(path);
        if (set != null) {
            set.forEach(Runnable::run);
        }
    }

    /** Live readers on this node, for metrics and leak checks. */
    public int watching() {
        return watchers.values().stream().mapToInt(Set::size).sum();
    }
}
