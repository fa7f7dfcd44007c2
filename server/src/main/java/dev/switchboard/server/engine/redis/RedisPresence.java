package dev.switchboard.server.engine.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.PresenceEntry;
import dev.switchboard.server.engine.PresenceListener;
import dev.switchboard.server.engine.PresenceManager;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence shared by every node on one Redis: per-connection entries with an expiry renewed by the owning
 * node's heartbeat (a Lua script per channel), so a crashed node's users drop out within the presence TTL
 * and the node that finds them expired announces their leave.
 */
final class RedisPresence implements PresenceManager {

    private static final Logger log = LoggerFactory.getLogger(RedisPresence.class);

    private final RedisLink link;
    private final RedisKeys keys;
    private final LuaScript presenceScript = LuaScript.load("presence.lua");
    /** channel → (connection id → user and info) for this node's own entries, renewed by the heartbeat. */
    private final Map<String, Map<String, Member>> local = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile PresenceListener listener;

    RedisPresence(RedisLink link) {
        this.link = link.attach();
        this.keys = link.keys;
        link.onReconnect(() -> {
            renew();
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public void start(PresenceListener listener) {
        this.listener = listener;
        link.start();
        link.every(Duration.ofMillis(Math.max(100, link.options.presenceTtl().toMillis() / 3)), this::renew);
    }

    /** One of this node's entries: whose, and what it said about its user ("" when nothing). */
    private record Member(String user, String info) {
    }

    @Override
    public CompletableFuture<Boolean> join(String channel, String user, String connectionId) {
        return join(channel, user, connectionId, null);
    }

    @Override
    public CompletableFuture<Boolean> join(String channel, String user, String connectionId, JsonNode info) {
        String text = info == null ? "" : info.toString();
        local.computeIfAbsent(channel, c -> new ConcurrentHashMap<>()).put(connectionId, new Member(user, text));
        return call(channel, "join", connectionId, user, text).thenApply(r -> (Long) r == 1);
    }

    @Override
    public CompletableFuture<Boolean> leave(String channel, String user, String connectionId) {
        local.computeIfPresent(channel, (c, conns) -> {
            conns.remove(connectionId);
            return conns.isEmpty() ? null : conns;
        });
        return call(channel, "leave", connectionId).thenApply(r -> (Long) r == 1);
    }

    @Override
    public CompletableFuture<List<PresenceEntry>> presence(String channel) {
        return call(channel, "list").thenApply(result -> {
            List<?> flat = (List<?>) ((List<?>) result).get(0);
            List<?> infos = (List<?>) ((List<?>) result).get(1);
            Map<String, String> infoOf = new java.util.HashMap<>();
            for (int i = 0; i + 1 < infos.size(); i += 2) {
                infoOf.put((String) infos.get(i), (String) infos.get(i + 1));
            }
            List<PresenceEntry> out = new ArrayList<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                String user = (String) flat.get(i);
                String info = infoOf.get(user);
                out.add(new PresenceEntry(user, (int) Long.parseLong((String) flat.get(i + 1)),
                        info == null ? null : Json.parse(info)));
            }
            out.sort((x, y) -> x.user().compareTo(y.user()));
            return out;
        });
    }

    /** Runs one presence op; reports users whose entries expired on the way, and returns the op's own result. */
    private CompletableFuture<Object> call(String channel, String op, String... extra) {
        String[] args = new String[2 + extra.length];
        args[0] = op;
        args[1] = Long.toString(link.options.presenceTtl().toMillis());
        System.arraycopy(extra, 0, args, 2, extra.length);
        String[] k = {keys.presenceConnections(channel), keys.presenceExpiry(channel), keys.presenceUsers(channel),
            keys.presenceInfo(channel)};
        return link.<List<Object>>eval(presenceScript, ScriptOutputType.MULTI, k, args).thenApply(r -> {
            PresenceListener l = listener;
            for (Object user : (List<?>) r.get(1)) {
                if (l != null) {
                    l.onPresenceExpired(channel, (String) user);
                }
            }
            return r.get(0);
        });
    }

    /** The heartbeat: renews the expiry of every entry this node holds (re-adding lost ones). */
    private void renew() {
        local.forEach((channel, conns) -> {
            List<String> pairs = new ArrayList<>();
            conns.forEach((conn, member) -> {
                pairs.add(conn);
                pairs.add(member.user());
                pairs.add(member.info());
            });
            if (!pairs.isEmpty()) {
                call(channel, "refresh", pairs.toArray(String[]::new)).exceptionally(e -> {
                    log.debug("presence heartbeat for {} failed: {}", channel, e.toString());
                    return null;
                });
            }
        });
    }

    /** Forgets this node's entries without removing them, like a crashed node (tests). */
    void forget() {
        local.clear();
    }

    /** This node's entries go now rather than at their TTL (all at once, bounded wait). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (link.connector() != null && !link.isClosed()) {
            List<CompletableFuture<Object>> leaves = new ArrayList<>();
            local.forEach((channel, conns) -> conns.forEach((conn, member) -> leaves.add(call(channel, "leave", conn))));
            try {
                CompletableFuture.allOf(leaves.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("presence cleanup incomplete: {}", e.toString());
            }
        }
        local.clear();
        link.release();
    }
}
