package dev.switchboard.server.engine.memory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.engine.EngineListener;
import dev.switchboard.server.engine.HistoryPage;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.server.engine.PresenceEntry;
import dev.switchboard.server.engine.Publication;
import dev.switchboard.server.engine.StreamPosition;
import dev.switchboard.server.engine.Target;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded single-node engine: everything in this JVM, nothing to set up. "Other nodes" do not exist,
 * so fan-out is a direct call back into the hub. The epoch is new on every start: history does not survive
 * a restart, and clients learn that from the changed epoch.
 */
public final class MemoryEngine implements Engine {

    private final String epoch = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, ChannelLog> logs = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Map<String, Boolean>>> presence = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int historySize;
    private final long historyTtlMillis;
    private volatile EngineListener listener;

    /**
     * @param historySize      publications retained per channel (0 = no history)
     * @param historyTtlMillis how long a publication is retained (0 = no age limit)
     */
    public MemoryEngine(int historySize, long historyTtlMillis, Clock clock) {
        this.historySize = historySize;
        this.historyTtlMillis = historyTtlMillis;
        this.clock = clock;
    }

    public MemoryEngine() {
        this(100, 300_000, Clock.systemUTC());
    }

    @Override
    public void start(EngineListener listener) {
        this.listener = listener;
    }

    @Override
    public CompletableFuture<Publication> publish(String channel, String from, JsonNode data) {
        ChannelLog log = logs.computeIfAbsent(channel, c -> new ChannelLog(c, epoch, historySize, historyTtlMillis));
        Publication p;
        // Offset assignment and hand-off happen under one lock so subscribers see offsets in order.
        synchronized (log) {
            p = log.append(from, data, clock.millis());
            listener.onPublication(p);
        }
        return CompletableFuture.completedFuture(p);
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> deliver(Target target, byte[] frame) {
        listener.onDelivery(target, frame);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> disconnect(Target target, int code, String reason) {
        listener.onDisconnect(target, code, reason);
        return CompletableFuture.completedFuture(null);
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
    public CompletableFuture<HistoryPage> history(String channel, HistoryQuery query) {
        ChannelLog log = logs.get(channel);
        if (log == null) {
            return CompletableFuture.completedFuture(
                    new HistoryPage(List.of(), new StreamPosition(0, epoch), true));
        }
        synchronized (log) {
            return CompletableFuture.completedFuture(log.read(query, clock.millis()));
        }
    }

    @Override
    public CompletableFuture<StreamPosition> position(String channel) {
        ChannelLog log = logs.get(channel);
        if (log == null) {
            return CompletableFuture.completedFuture(new StreamPosition(0, epoch));
        }
        synchronized (log) {
            return CompletableFuture.completedFuture(log.position());
        }
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void close() {
        logs.clear();
        presence.clear();
    }
}
