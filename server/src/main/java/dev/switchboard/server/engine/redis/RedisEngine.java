package dev.switchboard.server.engine.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.engine.EngineListener;
import dev.switchboard.server.engine.EngineUnavailableException;
import dev.switchboard.server.engine.HistoryPage;
import dev.switchboard.server.engine.HistoryPolicy;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.server.engine.NodeInfo;
import dev.switchboard.server.engine.PresenceEntry;
import dev.switchboard.server.engine.Publication;
import dev.switchboard.server.engine.StreamPosition;
import dev.switchboard.server.engine.Target;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster engine: any number of gateway nodes share one Redis (single server, Sentinel or Cluster).
 *
 * <ul>
 *   <li>Publications: a Lua script assigns the channel's next offset (counter + epoch in a hash), appends to
 *       the channel's Redis Stream (entry id = offset, trimmed by MAXLEN and age, key TTL) and publishes on
 *       the channel's (shard) Pub/Sub channel — all in one atomic step, so offsets have no gap and no
 *       duplicate whichever node publishes, and Pub/Sub carries them in offset order.</li>
 *   <li>Fan-out: this node subscribes to a channel's Pub/Sub only while the hub says it has local
 *       subscribers; deliveries and disconnects for users, sessions, connections or everyone travel on one
 *       node-wide Pub/Sub channel that every node subscribes to.</li>
 *   <li>Presence: per-connection entries with an expiry renewed by the owning node's heartbeat, so a crashed
 *       node's users drop out within the presence TTL.</li>
 *   <li>Failure: commands fail fast with {@link EngineUnavailableException} while Redis is unreachable;
 *       Lettuce reconnects with jittered exponential backoff; a health probe drives {@link #isReady()} and,
 *       when Redis is back, re-subscribes every channel and fetches what Pub/Sub missed meanwhile.</li>
 * </ul>
 */
public final class RedisEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger(RedisEngine.class);

    private final RedisEngineOptions options;
    private final RedisKeys keys;
    private final ClientResources resources;
    private final ScheduledExecutorService timer;
    private final Map<String, ChannelFeed> feeds = new ConcurrentHashMap<>();
    /** channel → (connection id → user) for this node's own presence entries, renewed by the heartbeat. */
    private final Map<String, Map<String, String>> localPresence = new ConcurrentHashMap<>();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LuaScript publishScript = LuaScript.load("publish.lua");
    private final LuaScript historyScript = LuaScript.load("history.lua");
    private final LuaScript presenceScript = LuaScript.load("presence.lua");
    private final ClientOptions clientOptions;
    /** Null until the first successful connect; Lettuce reconnects it by itself after that. */
    private volatile RedisConnector redis;
    /** Start-up retries (timer thread only). */
    private int connectAttempts;
    private long nextConnectAt;
    private volatile String lastConnectFailure;
    private volatile EngineListener listener;

    /** An engine for {@code options}; nothing connects before {@link #start}. */
    public RedisEngine(RedisEngineOptions options) {
        this.options = options;
        this.keys = new RedisKeys(options.prefix());
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(5), 100, TimeUnit.MILLISECONDS))
                .build();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "redis-engine-" + options.nodeId());
            t.setDaemon(true);
            return t;
        });
        this.clientOptions = ClientOptions.builder()
                .autoReconnect(true)
                // Fail fast while disconnected instead of queueing: callers answer "unavailable" at once.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(options.commandTimeout()).keepAlive(true).build())
                .build();
    }

    /**
     * Connects and subscribes to the node-wide channel. A Redis that cannot be reached now does not stop the
     * node: it starts not ready (so {@code /readyz} keeps traffic away and every call fails as unavailable)
     * and keeps trying with jittered exponential backoff, the way it rides out a Redis restart later on.
     */
    @Override
    public void start(EngineListener listener) {
        this.listener = listener;
        if (connect()) {
            ready.set(true);
        } else {
            log.warn("redis at {} unreachable at start ({}): serving as not ready, retrying in the background",
                    options.uri(), lastConnectFailure);
            scheduleNextConnect();
        }
        timer.scheduleWithFixedDelay(this::probe, 500, 500, TimeUnit.MILLISECONDS);
        long beat = Math.max(100, options.presenceTtl().toMillis() / 3);
        timer.scheduleWithFixedDelay(this::renewPresence, beat, beat, TimeUnit.MILLISECONDS);
    }

    /** One attempt to open the connections and subscribe the node-wide channel; false if Redis is unreachable. */
    private boolean connect() {
        RedisConnector c = null;
        try {
            c = RedisUris.isCluster(options.uri())
                    ? new ClusterConnector(resources, RedisUris.clusterSeeds(options.uri()), clientOptions, options.commandTimeout())
                    : new StandaloneConnector(resources, RedisUris.single(options.uri()), clientOptions);
            c.listen(this::onMessage);
            c.onSubscriptionEnded(this::onSubscriptionEnded);
            await(c.subscribe(keys.nodes()));
        } catch (RedisException | EngineUnavailableException e) {
            lastConnectFailure = e.getMessage();
            if (c != null) {
                c.close();
            }
            return false;
        }
        redis = c;
        if (closed.get()) { // closed while this attempt was connecting: close() saw no connector to close
            redis = null;
            c.close();
            return false;
        }
        log.info("redis engine connected to {} ({})", options.uri(), c.sharded() ? "cluster, sharded pub/sub" : "single");
        return true;
    }

    /** Full jitter over an exponential ceiling (100 ms doubling to 5 s), like Lettuce's own reconnects. */
    private void scheduleNextConnect() {
        long ceiling = Math.min(5_000, 100L << Math.min(connectAttempts++, 6));
        nextConnectAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    // ---- publications ------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Publication> publish(String channel, String from, JsonNode data) {
        RedisConnector r = redis;
        if (r == null) {
            return notConnected();
        }
        HistoryPolicy policy = options.retention().policyFor(channel);
        ObjectNode body = Json.object();
        if (from != null) {
            body.put("f", from);
        }
        body.set("d", data);
        String[] args = {body.toString(), Integer.toString(policy.size()), Long.toString(policy.ttlMillis()),
                Long.toString(metaTtlMillis()), newEpoch(), r.publishCommand()};
        String[] k = {keys.meta(channel), keys.stream(channel), keys.pubsub(channel)};
        return this.<List<Object>>eval(publishScript, ScriptOutputType.MULTI, k, args)
                .thenApply(row -> new Publication(channel, (Long) row.get(0), (String) row.get(1), (Long) row.get(2), from, data));
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        feeds.computeIfAbsent(channel, c -> new ChannelFeed(c,
                since -> history(c, new HistoryQuery(since, -1, false)),
                p -> listener.onPublication(p)));
        return call(r -> r.subscribe(keys.pubsub(channel)));
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        feeds.remove(channel);
        return call(r -> r.unsubscribe(keys.pubsub(channel)));
    }

    @Override
    public CompletableFuture<HistoryPage> history(String channel, HistoryQuery query) {
        HistoryPolicy policy = options.retention().policyFor(channel);
        String[] args = {newEpoch(), Long.toString(metaTtlMillis()), Long.toString(policy.ttlMillis()),
                query.since() == null ? "" : Long.toString(query.since()), Integer.toString(query.limit()),
                query.reverse() ? "1" : "0"};
        String[] k = {keys.meta(channel), keys.stream(channel)};
        return this.<List<Object>>eval(historyScript, ScriptOutputType.MULTI, k, args).thenApply(r -> {
            long top = toLong(r.get(0));
            String epoch = (String) r.get(1);
            boolean complete = toLong(r.get(2)) == 1;
            List<Publication> pubs = new ArrayList<>();
            for (Object entry : (List<?>) r.get(3)) {
                pubs.add(fromStreamEntry(channel, epoch, (List<?>) entry));
            }
            return new HistoryPage(pubs, new StreamPosition(top, epoch), complete);
        });
    }

    @Override
    public CompletableFuture<StreamPosition> position(String channel) {
        return history(channel, HistoryQuery.positionOnly()).thenApply(HistoryPage::position);
    }

    private void onMessage(String pubsubChannel, String message) {
        try {
            if (pubsubChannel.equals(keys.nodes())) {
                NodeCommand cmd = NodeCommand.decode(message);
                if (cmd.deliver()) {
                    listener.onDelivery(cmd.target(), cmd.frame());
                } else {
                    listener.onDisconnect(cmd.target(), cmd.code(), cmd.reason());
                }
                return;
            }
            String channel = keys.channelOf(pubsubChannel);
            ChannelFeed feed = channel == null ? null : feeds.get(channel);
            if (feed != null) {
                feed.offer(fromPubSub(channel, message));
            }
        } catch (RuntimeException e) {
            log.warn("dropping malformed message on {}: {}", pubsubChannel, e.toString());
        }
    }

    /** Pub/Sub form written by publish.lua: offset, epoch, ts, body, separated by newlines. */
    private static Publication fromPubSub(String channel, String message) {
        int a = message.indexOf('\n');
        int b = message.indexOf('\n', a + 1);
        int c = message.indexOf('\n', b + 1);
        return fromBody(channel, Long.parseLong(message.substring(0, a)), message.substring(a + 1, b),
                Long.parseLong(message.substring(b + 1, c)), message.substring(c + 1));
    }

    /** Stream entry: {@code [id, [b, body, t, ts]]}, id = {@code <offset>-0}. */
    private static Publication fromStreamEntry(String channel, String epoch, List<?> entry) {
        String id = (String) entry.get(0);
        List<?> fields = (List<?>) entry.get(1);
        return fromBody(channel, Long.parseLong(id.substring(0, id.indexOf('-'))), epoch,
                Long.parseLong((String) fields.get(3)), (String) fields.get(1));
    }

    private static Publication fromBody(String channel, long offset, String epoch, long ts, String body) {
        JsonNode b = Json.parse(body);
        JsonNode from = b.get("f");
        return new Publication(channel, offset, epoch, ts, from == null || from.isNull() ? null : from.asText(), b.get("d"));
    }

    // ---- node-wide commands ------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> deliver(Target target, byte[] frame) {
        return call(r -> r.publish(keys.nodes(), NodeCommand.delivery(target, frame).encode())).thenApply(n -> null);
    }

    @Override
    public CompletableFuture<Void> disconnect(Target target, int code, String reason) {
        return call(r -> r.publish(keys.nodes(), NodeCommand.disconnect(target, code, reason).encode())).thenApply(n -> null);
    }

    // ---- presence ----------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Boolean> join(String channel, String user, String connectionId) {
        localPresence.computeIfAbsent(channel, c -> new ConcurrentHashMap<>()).put(connectionId, user);
        return presenceCall(channel, "join", connectionId, user).thenApply(r -> (Long) r == 1);
    }

    @Override
    public CompletableFuture<Boolean> leave(String channel, String user, String connectionId) {
        localPresence.computeIfPresent(channel, (c, conns) -> {
            conns.remove(connectionId);
            return conns.isEmpty() ? null : conns;
        });
        return presenceCall(channel, "leave", connectionId).thenApply(r -> (Long) r == 1);
    }

    @Override
    public CompletableFuture<List<PresenceEntry>> presence(String channel) {
        return presenceCall(channel, "list").thenApply(result -> {
            List<?> flat = (List<?>) result;
            List<PresenceEntry> out = new ArrayList<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                out.add(new PresenceEntry((String) flat.get(i), (int) Long.parseLong((String) flat.get(i + 1))));
            }
            out.sort((x, y) -> x.user().compareTo(y.user()));
            return out;
        });
    }

    /** Runs one presence op; reports users whose entries expired on the way, and returns the op's own result. */
    private CompletableFuture<Object> presenceCall(String channel, String op, String... extra) {
        String[] args = new String[2 + extra.length];
        args[0] = op;
        args[1] = Long.toString(options.presenceTtl().toMillis());
        System.arraycopy(extra, 0, args, 2, extra.length);
        String[] k = {keys.presenceConnections(channel), keys.presenceExpiry(channel), keys.presenceUsers(channel)};
        return this.<List<Object>>eval(presenceScript, ScriptOutputType.MULTI, k, args).thenApply(r -> {
            EngineListener l = listener;
            for (Object user : (List<?>) r.get(1)) {
                if (l != null) {
                    l.onPresenceExpired(channel, (String) user);
                }
            }
            return r.get(0);
        });
    }

    /** The heartbeat: renews the expiry of every presence entry this node holds (re-adding lost ones). */
    private void renewPresence() {
        reportNode();
        localPresence.forEach((channel, conns) -> {
            List<String> pairs = new ArrayList<>();
            conns.forEach((conn, user) -> {
                pairs.add(conn);
                pairs.add(user);
            });
            if (!pairs.isEmpty()) {
                presenceCall(channel, "refresh", pairs.toArray(String[]::new))
                        .exceptionally(e -> {
                            log.debug("presence heartbeat for {} failed: {}", channel, e.toString());
                            return null;
                        });
            }
        });
    }

    /**
     * This node's counts into the shared hash, on the presence heartbeat; the hash itself expires a few TTLs
     * after the last node stops writing, and readers skip and remove entries older than one TTL.
     */
    private void reportNode() {
        RedisConnector r = redis;
        EngineListener l = listener;
        if (r == null || l == null) {
            return;
        }
        NodeInfo me = new NodeInfo(options.nodeId(), l.connectionCount(), l.userCount(), System.currentTimeMillis());
        r.commands().hset(keys.nodeInfo(), me.node(), Json.text(me))
                .thenCompose(n -> r.commands().pexpire(keys.nodeInfo(), options.presenceTtl().toMillis() * 3))
                .exceptionally(e -> {
                    log.debug("node report failed: {}", e.toString());
                    return null;
                });
    }

    @Override
    public CompletableFuture<List<NodeInfo>> nodes() {
        return call(r -> r.commands().hgetall(keys.nodeInfo()).toCompletableFuture().thenApply(all -> {
            long oldest = System.currentTimeMillis() - options.presenceTtl().toMillis();
            List<NodeInfo> live = new ArrayList<>();
            all.forEach((node, json) -> {
                NodeInfo info = parseNodeInfo(json);
                if (info != null && info.updatedAt() >= oldest) {
                    live.add(info);
                } else {
                    r.commands().hdel(keys.nodeInfo(), node); // a node that stopped reporting (crashed)
                }
            });
            live.sort(java.util.Comparator.comparing(NodeInfo::node));
            return live;
        }));
    }

    private static NodeInfo parseNodeInfo(String json) {
        try {
            return Json.MAPPER.readValue(json, NodeInfo.class);
        } catch (Exception e) {
            return null; // not written by a gateway of this version: treated as stale
        }
    }

    /**
     * Redis ended a subscription. After this node's own unsubscribe there is nothing to do; otherwise the
     * channel's slot moved to another master (resharding), which ends its shard subscribers: follow the slot
     * (fresh topology, subscribe at the new owner), then fetch from the stream, which moved with the slot,
     * whatever was published in between. Retried every second while the channel is still wanted.
     */
    private void onSubscriptionEnded(String pubsubChannel) {
        String channel = keys.channelOf(pubsubChannel);
        boolean wanted = pubsubChannel.equals(keys.nodes()) || (channel != null && feeds.containsKey(channel));
        RedisConnector r = redis;
        if (!wanted || r == null || closed.get()) {
            return;
        }
        log.info("redis ended the subscription to {} (slot moved?): subscribing at its new owner", pubsubChannel);
        r.refreshTopology()
                .thenCompose(v -> r.subscribe(pubsubChannel))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        log.warn("re-subscribing {} failed ({}), retrying", pubsubChannel, unwrap(e).toString());
                        if (!closed.get()) {
                            timer.schedule(() -> onSubscriptionEnded(pubsubChannel), 1, TimeUnit.SECONDS);
                        }
                        return;
                    }
                    ChannelFeed feed = channel == null ? null : feeds.get(channel);
                    if (feed != null) {
                        feed.resync();
                    }
                });
    }

    // ---- health, reconnect -------------------------------------------------------------------------------

    private void probe() {
        try {
            probeOnce();
        } catch (RuntimeException e) {
            // An exception would cancel the scheduled probe for good; log it and try again next time.
            log.warn("redis health probe failed: {}", e.toString());
        }
    }

    private void probeOnce() {
        if (closed.get()) {
            return;
        }
        if (redis == null) {
            if (System.nanoTime() - nextConnectAt >= 0) {
                if (connect()) {
                    // Channels subscribed while Redis was out of reach: ready once they are live again (if
                    // that times out, the regular probe below re-subscribes and turns ready later).
                    await(resubscribe());
                    ready.set(true);
                } else {
                    scheduleNextConnect();
                }
            }
            return;
        }
        boolean ok;
        try {
            ok = "PONG".equals(redis.commands().ping().toCompletableFuture().get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS))
                    && redis.subscriptionsOpen();
        } catch (Exception e) {
            ok = false;
        }
        boolean was = ready.getAndSet(ok);
        if (ok && !was) {
            log.info("redis reachable again: re-subscribing {} channels and fetching missed publications", feeds.size());
            resubscribe();
        } else if (!ok && was) {
            log.warn("redis unreachable: publishes fail as unavailable until it is back");
        }
    }

    /**
     * Subscriptions are re-issued explicitly (SUBSCRIBE is idempotent): Lettuce restores them on reconnect, but
     * not the ones that failed while Redis was away. Then each channel fetches what Pub/Sub dropped.
     */
    private CompletableFuture<Void> resubscribe() {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        done.add(redis.subscribe(keys.nodes()));
        feeds.forEach((channel, feed) -> done.add(redis.subscribe(keys.pubsub(channel))
                .whenComplete((v, e) -> feed.resync())));
        renewPresence();
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }


    @Override
    public boolean isReady() {
        return ready.get() && !closed.get();
    }

    @Override
    public String name() {
        return "redis";
    }

    /** Stops like a crashed node would: no presence cleanup, the heartbeat just stops (tests). */
    void halt() {
        localPresence.clear();
        close();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        timer.shutdownNow();
        RedisConnector r = redis;
        if (r != null) {
            // This node's presence entries go now rather than at their TTL (all at once, bounded wait).
            List<CompletableFuture<Object>> leaves = new ArrayList<>();
            localPresence.forEach((channel, conns) -> conns.forEach((conn, user) ->
                    leaves.add(presenceCall(channel, "leave", conn))));
            try {
                CompletableFuture.allOf(leaves.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("presence cleanup incomplete: {}", e.toString());
            }
            r.close();
        }
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    // ---- plumbing ----------------------------------------------------------------------------------------

    private long metaTtlMillis() {
        return options.retention().metaTtl().toMillis();
    }

    private static String newEpoch() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static long toLong(Object o) {
        return o instanceof Long l ? l : Long.parseLong(o.toString());
    }

    /** EVALSHA, falling back to EVAL when Redis lost its script cache (restart, SCRIPT FLUSH). */
    private <T> CompletableFuture<T> eval(LuaScript script, ScriptOutputType type, String[] k, String[] args) {
        RedisConnector r = redis;
        if (r == null) {
            return notConnected();
        }
        CompletableFuture<T> first = r.commands().<T>evalsha(script.sha(), type, k, args).toCompletableFuture();
        CompletableFuture<T> withFallback = first.handle((v, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(v);
            }
            if (unwrap(e) instanceof RedisNoScriptException) {
                return r.commands().<T>eval(script.text(), type, k, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(unwrap(e));
        }).thenCompose(f -> f);
        return guard(withFallback);
    }

    /** {@code op} on the connector, guarded; fails as unavailable while the node has never reached Redis. */
    private <T> CompletableFuture<T> call(Function<RedisConnector, CompletableFuture<T>> op) {
        RedisConnector r = redis;
        return r == null ? notConnected() : guard(op.apply(r));
    }

    private <T> CompletableFuture<T> notConnected() {
        String why = closed.get() ? "redis engine is closed"
                : "redis at " + options.uri() + " not reached yet" + (lastConnectFailure == null ? "" : ": " + lastConnectFailure);
        return CompletableFuture.failedFuture(new EngineUnavailableException(why, null));
    }

    /** Turns every Redis failure into {@link EngineUnavailableException}, so callers need to know one type. */
    private <T> CompletableFuture<T> guard(CompletableFuture<T> f) {
        return f.handle((v, e) -> {
            if (e == null) {
                return v;
            }
            Throwable cause = unwrap(e);
            if (cause instanceof EngineUnavailableException u) {
                throw u;
            }
            throw new EngineUnavailableException("redis: " + cause.getMessage(), cause);
        });
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private void await(CompletableFuture<?> f) {
        try {
            f.get(options.commandTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new EngineUnavailableException("redis: " + unwrap(e).getMessage(), unwrap(e));
        }
    }
}
