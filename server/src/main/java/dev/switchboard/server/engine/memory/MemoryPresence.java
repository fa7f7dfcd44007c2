package dev.switchboard.server.engine.memory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.PresenceEntry;
import dev.switchboard.server.engine.PresenceListener;
import dev.switchboard.server.engine.PresenceManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Presence of one node, in this JVM: nothing expires, because the node holding the entries is this one. */
public final class MemoryPresence implements PresenceManager {

    /** A present user: their connections and the latest info one of them gave. */
    private static final class Member {
        final Set<String> connections = ConcurrentHashMap.newKeySet();
        volatile JsonNode info;
    }

    /** channel → user → member. */
    private final Map<String, Map<String, Member>> presence = new ConcurrentHashMap<>();

    @Override
    public void start(PresenceListener listener) {
    }

    @Override
    public CompletableFuture<Boolean> join(String channel, String user, String connectionId) {
        return join(channel, user, connectionId, null);
    }

    @Override
    public CompletableFuture<Boolean> join(String channel, String user, String connectionId, JsonNode info) {
        boolean[] first = new boolean[1];
        presence.compute(channel, (c, users) -> {
            Map<String, Member> map = users == null ? new ConcurrentHashMap<>() : users;
            map.compute(user, (u, member) -> {
                Member m = member == null ? new Member() : member;
                first[0] = m.connections.isEmpty();
                m.connections.add(connectionId);
                if (info != null) {
                    m.info = info;
                }
                return m;
            });
            return map;
        });
        return CompletableFuture.completedFuture(first[0]);
    }

    @Override
    public CompletableFuture<Boolean> leave(String channel, String user, String connectionId) {
        boolean[] last = new boolean[1];
        presence.computeIfPresent(channel, (c, users) -> {
            users.computeIfPresent(user, (u, member) -> {
                last[0] = member.connections.remove(connectionId) && member.connections.isEmpty();
                return member.connections.isEmpty() ? null : member;
            });
            return users.isEmpty() ? null : users;
        });
        return CompletableFuture.completedFuture(last[0]);
    }

    @Override
    public CompletableFuture<List<PresenceEntry>> presence(String channel) {
        List<PresenceEntry> out = new ArrayList<>();
        Map<String, Member> users = presence.get(channel);
        if (users != null) {
            users.forEach((user, m) -> out.add(new PresenceEntry(user, m.connections.size(), m.info)));
        }
        out.sort((a, b) -> a.user().compareTo(b.user()));
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public void close() {
        presence.clear();
    }
}
