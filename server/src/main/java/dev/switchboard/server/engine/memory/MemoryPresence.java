package dev.switchboard.server.engine.memory;

import dev.switchboard.protocol.PresenceEntry;
import dev.switchboard.server.engine.PresenceListener;
import dev.switchboard.server.engine.PresenceManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Presence of one node, in this JVM: nothing expires, because the node holding the entries is this one. */
public final class MemoryPresence implements PresenceManager {

    /** channel → user → connection ids. */
    private final Map<String, Map<String, Map<String, Boolean>>> presence = new ConcurrentHashMap<>();

    @Override
    public void start(PresenceListener listener) {
    }

    @Override
    public CompletableFuture<Boolean> join(String channel, String user, String connectionId) {
        boolean[] first = new boolean[1];
        presence.compute(channel, (c, users) -> {
            Map<String, Map<String, Boolean>> map = users == null ? new ConcurrentHashMap<>() : users;
            map.compute(user, (u, conns) -> {
                Map<String, Boolean> set = conns == null ? new ConcurrentHashMap<>() : conns;
                first[0] = set.isEmpty();
                set.put(connectionId, Boolean.TRUE);
                return set;
            });
            return map;
        });
        return CompletableFuture.completedFuture(first[0]);
    }

    @Override
    public CompletableFuture<Boolean> leave(String channel, String user, String connectionId) {
        boolean[] last = new boolean[1];
        presence.computeIfPresent(channel, (c, users) -> {
            users.computeIfPresent(user, (u, conns) -> {
                last[0] = conns.remove(connectionId) != null && conns.isEmpty();
                return conns.isEmpty() ? null : conns;
            });
            return users.isEmpty() ? null : users;
        });
        return CompletableFuture.completedFuture(last[0]);
    }

    @Override
    public CompletableFuture<List<PresenceEntry>> presence(String channel) {
        List<PresenceEntry> out = new ArrayList<>();
        Map<String, Map<String, Boolean>> users = presence.get(channel);
        if (users != null) {
            users.forEach((user, conns) -> out.add(new PresenceEntry(user, conns.size())));
        }
        out.sort((a, b) -> a.user().compareTo(b.user()));
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public void close() {
        presence.clear();
    }
}
