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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence shared by every node on one Redis: per-connection entries with an expiry renewed by the owning
 * node's heartbeat (a Lua script per channel), so a crashed node's users drop out within the presence TTL
 * and the node that finds them expired announces their leave. Expiries are found by the next call on the
 * channel, or, for a channel no live node touches any more (its only holder died), by the sweep every node
 * runs over an index of channels by renewal time. Entries that expired while their node was paused or cut off
 * and that it renews again are reported as restored, so every announced leave is balanced by a join.
 */
final class RedisPresence implements PresenceManager {

    private static final Logger log = LoggerFactory.getLogger(RedisPresence.class);

    private final RedisLink link;
    private final RedisKeys keys;
    private final LuaScript presenceScript = LuaScript.load("presence.lua");
    /** Entries renewed in one script call: keeps a node with many connections from sending one huge call. */
    private static final int RENEW_BATCH = 500;
    /** Channels a sweep looks at per round; the next round takes the rest. */
    private static final int SWEEP_BATCH = 200;
    /** channel → (connection id → user and info) for this node's own entries, renewed by the heartbeat. */
    private final Map<String, Map<String, Member>> local = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Per channel: the Redis time of the latest answer this node got for it. */
    private final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
    /** Per channel: calls that went unanswered (timed out) yet may have run; see {@link Doubt}. */
    private final Map<String, Doubt> doubts = new ConcurrentHashMap<>();
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
        long ttl = link.options.presenceTtl().toMillis();
        link.every(Duration.ofMillis(Math.max(100, ttl / 3)), this::renew);
        link.every(Duration.ofMillis(Math.max(100, ttl / 2)), this::sweep);
    }

    /** One of this node's entries: whose, and what it said about its user ("" when nothing). */
    private record Member(String user, String info) {
    }

    /**
     * A call that timed out may still have run (a partition: Redis executes the command when the link comes back,
     * and the answer is dropped), and with it went the news of a first join or a last leave. Until a
     * {@code recheck} is answered, the node keeps what it was told since the last answer before the doubt, so that
     * the recheck tells only what no answer did.
     */
    private static final class Doubt {
        final long since;
        final Set<String> toldJoined = ConcurrentHashMap.newKeySet();
        final Set<String> toldLeft = ConcurrentHashMap.newKeySet();
        final Set<String> leaving = ConcurrentHashMap.newKeySet();
        final java.util.concurrent.atomic.AtomicInteger unanswered = new java.util.concurrent.atomic.AtomicInteger();

        Doubt(long since) {
            this.since = since;
        }
    }

    @Override
    public CompletableFuture<Boolean> join(String channel, String user, String connectionId) {
        return join(channel, user, connectionId, null);
    }

    @Override
    public CompletableFuture<Boolean> join(String channel, String user, String connectionId, JsonNode info) {
        String text = info == null ? "" : info.toString();
        boolean[] fresh = {false};
        local.computeIfAbsent(channel, c -> {
            fresh[0] = true;
            return new ConcurrentHashMap<>();
        }).put(connectionId, new Member(user, text));
        return call(channel, "join", user, connectionId, user, text).thenApply(r -> {
            if (fresh[0]) {
                index(List.of(channel)); // a channel new to this node; the heartbeat indexes the ones it holds
            }
            boolean first = (Long) r == 1;
            Doubt d = doubts.get(channel);
            if (first && d != null) {
                d.toldJoined.add(user);
            }
            return first;
        });
    }

    @Override
    public CompletableFuture<Boolean> leave(String channel, String user, String connectionId) {
        local.computeIfPresent(channel, (c, conns) -> {
            conns.remove(connectionId);
            return conns.isEmpty() ? null : conns;
        });
        return call(channel, "leave", user, connectionId).thenApply(r -> {
            boolean last = (Long) r == 1;
            Doubt d = doubts.get(channel);
            if (last && d != null) {
                d.toldLeft.add(user);
            }
            return last;
        });
    }

    @Override
    public CompletableFuture<List<PresenceEntry>> presence(String channel) {
        return call(channel, "list", null).thenApply(result -> {
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

    /**
     * Runs one presence op ({@code user}: the one a join or leave is about); reports users whose entries expired on
     * the way, and returns the op's own result. An op that goes unanswered puts the channel in doubt.
     */
    private CompletableFuture<Object> call(String channel, String op, String user, String... extra) {
        String[] args = new String[2 + extra.length];
        args[0] = op;
        args[1] = Long.toString(link.options.presenceTtl().toMillis());
        System.arraycopy(extra, 0, args, 2, extra.length);
        String[] k = {keys.presenceConnections(channel), keys.presenceExpiry(channel), keys.presenceUsers(channel),
            keys.presenceInfo(channel), keys.presenceFirstAdded(channel), keys.presenceLastLeft(channel)};
        CompletableFuture<List<Object>> answer = link.eval(presenceScript, ScriptOutputType.MULTI, k, args);
        return answer.whenComplete((r, e) -> {
            if (e != null) {
                Doubt d = doubts.computeIfAbsent(channel, c -> new Doubt(answeredAt.getOrDefault(c, 0L)));
                d.unanswered.incrementAndGet();
                if (op.equals("leave") && user != null) {
                    d.leaving.add(user);
                }
            }
        }).thenApply(r -> {
            answeredAt.merge(channel, (Long) r.get(2), Math::max);
            PresenceListener l = listener;
            for (Object expired : (List<?>) r.get(1)) {
                if (l != null) {
                    l.onPresenceExpired(channel, (String) expired);
                }
            }
            if (op.equals("refresh")) {
                Doubt d = doubts.get(channel);
                for (Object restored : (List<?>) r.get(0)) {
                    if (d != null) {
                        d.toldJoined.add((String) restored);
                    }
                    if (l != null) {
                        l.onPresenceRestored(channel, (String) restored);
                    }
                }
            }
            return r.get(0);
        });
    }

    /**
     * Asks Redis what the unanswered calls of a channel in doubt did: users of this node's entries first written
     * since the doubt began, and users whose last leave (one that went unanswered) ran since; tells those no
     * answer told. The doubt ends with the answer unless another call went unanswered meanwhile.
     */
    private void recheck(String channel, Doubt d, Map<String, Member> conns) {
        int mark = d.unanswered.get();
        List<String> users = conns.values().stream().map(Member::user).distinct().toList();
        List<String> args = new ArrayList<>();
        args.add(Long.toString(d.since));
        args.add(Integer.toString(users.size()));
        args.addAll(users);
        args.addAll(d.leaving);
        call(channel, "recheck", null, args.toArray(String[]::new)).thenAccept(result -> {
            PresenceListener l = listener;
            List<?> joined = (List<?>) ((List<?>) result).get(0);
            List<?> left = (List<?>) ((List<?>) result).get(1);
            for (Object u : joined) {
                if (d.toldJoined.add((String) u) && l != null) {
                    l.onPresenceRestored(channel, (String) u);
                }
            }
            for (Object u : left) {
                if (d.toldLeft.add((String) u) && l != null) {
                    l.onPresenceExpired(channel, (String) u);
                }
            }
            if (d.unanswered.get() == mark) {
                doubts.remove(channel, d);
            }
        }).exceptionally(e -> {
            log.debug("presence recheck of {} failed: {}", channel, e.toString());
            return null;
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
                if (pairs.size() >= RENEW_BATCH * 3) {
                    refresh(channel, pairs);
                    pairs.clear();
                }
            });
            if (!pairs.isEmpty()) {
                refresh(channel, pairs);
            }
            Doubt d = doubts.get(channel);
            if (d != null) {
                recheck(channel, d, conns); // after the refresh: Redis runs one connection's calls in order
            }
        });
        doubts.forEach((channel, d) -> {
            if (!local.containsKey(channel)) {
                recheck(channel, d, Map.of()); // only unanswered leaves left to ask about
            }
        });
        index(List.copyOf(local.keySet()));
    }

    private void refresh(String channel, List<String> triples) {
        call(channel, "refresh", null, triples.toArray(String[]::new)).exceptionally(e -> {
            log.debug("presence heartbeat for {} failed: {}", channel, e.toString());
            return null;
        });
    }

    /** Marks {@code channels} as renewed by a live node until one TTL from now. */
    private void index(List<String> channels) {
        if (channels.isEmpty()) {
            return;
        }
        double until = System.currentTimeMillis() + link.options.presenceTtl().toMillis();
        Object[] scoresAndMembers = new Object[channels.size() * 2];
        for (int i = 0; i < channels.size(); i++) {
            scoresAndMembers[2 * i] = until;
            scoresAndMembers[2 * i + 1] = channels.get(i);
        }
        link.call(r -> r.commands().zadd(keys.presenceIndex(), scoresAndMembers).toCompletableFuture())
                .exceptionally(e -> {
                    log.debug("presence index not updated: {}", e.toString());
                    return null;
                });
    }

    /**
     * Finds channels no live node renewed within a TTL (their holders died) and lists each, which drops their
     * expired entries and reports them (to this node only: the script runs once per entry); a channel left
     * without entries leaves the index. A live node's next renewal puts back a channel removed in a race.
     */
    private void sweep() {
        link.call(r -> r.commands().zrangebyscore(keys.presenceIndex(),
                        io.lettuce.core.Range.create(Double.NEGATIVE_INFINITY, (double) System.currentTimeMillis()),
                        io.lettuce.core.Limit.create(0, SWEEP_BATCH)).toCompletableFuture())
                .thenAccept(stale -> stale.forEach(channel -> call(channel, "list", null).thenAccept(result -> {
                    if (((List<?>) ((List<?>) result).get(0)).isEmpty()) {
                        link.call(r -> r.commands().zrem(keys.presenceIndex(), channel).toCompletableFuture());
                    }
                })))
                .exceptionally(e -> {
                    log.debug("presence sweep failed: {}", e.toString());
                    return null;
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
            local.forEach((channel, conns) -> conns.forEach((conn, member) -> leaves.add(call(channel, "leave", member.user(), conn))));
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
