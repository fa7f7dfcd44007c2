package dev.switchboard.server.engine.redis;

import dev.switchboard.server.engine.BatchEntry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.BrokerListener;
import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.server.engine.HistoryPolicy;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.protocol.Publication;
import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.server.engine.Target;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster broker: any number of gateway nodes share one Redis (single server, Sentinel or Cluster).
 *
 * <ul>
 *   <li>Publications: a Lua script assigns the channel's next offset (counter + epoch in a hash), appends to
 *       the channel's Redis Stream (entry id = offset, trimmed by MAXLEN and age, key TTL) and publishes on
 *       the channel's (shard) Pub/Sub channel — all in one atomic step, so offsets have no gap and no
 *       duplicate whichever node publishes, and Pub/Sub carries them in offset order.</li>
 *   <li>Fan-out: this node subscribes to a channel's Pub/Sub only while the hub says it has local
 *       subscribers; deliveries and disconnects for users, sessions, connections or everyone travel on one
 *       node-wide Pub/Sub channel that every node subscribes to.</li>
 *   <li>Failure: commands fail fast as unavailable while Redis is unreachable ({@link RedisLink}); when it
 *       is back, every channel is re-subscribed and fetches what Pub/Sub missed meanwhile.</li>
 * </ul>
 */
final class RedisBroker implements Broker {

    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    private final RedisLink link;
    private final RedisKeys keys;
    private final Map<String, ChannelFeed> feeds = new ConcurrentHashMap<>();
    private final BackplaneDrops drops = new BackplaneDrops();
    private final LuaScript publishScript = LuaScript.load("publish.lua");
    private final LuaScript historyScript = LuaScript.load("history.lua");
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile BrokerListener listener;

    RedisBroker(RedisLink link) {
        this.link = link.attach();
        this.keys = link.keys;
        link.onMessage(this::onMessage);
        link.onSubscriptionEnded(this::onSubscriptionEnded);
        link.onReconnect(this::resubscribe);
    }

    @Override
    public void start(BrokerListener listener) {
        this.listener = listener;
        link.start();
    }

    // ---- publications ------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Publication> publish(String channel, String from, JsonNode data, String idempotencyKey) {
        return publishBatch(channel, List.of(new BatchEntry(from, data, idempotencyKey))).thenApply(l -> l.get(0));
    }

    /** One script call for the whole batch: offsets, stream entries, Pub/Sub messages and keys, atomically. */
    @Override
    public CompletableFuture<List<Publication>> publishBatch(String channel, List<BatchEntry> entries) {
        RedisConnector r = link.connector();
        if (r == null) {
            return link.notConnected();
        }
        HistoryPolicy policy = link.options.retention().policyFor(channel);
        long window = link.options.retention().dedupWindowFor(channel).toMillis();
        String[] args = new String[7 + 3 * entries.size()];
        String[] k = new String[4 + entries.size()];
        args[0] = Integer.toString(policy.size());
        args[1] = Long.toString(policy.ttlMillis());
        args[2] = Long.toString(metaTtlMillis());
        args[3] = newEpoch();
        args[4] = r.publishCommand();
        args[5] = Long.toString(window);
        args[6] = Integer.toString(link.options.idempotencyKeys());
        k[0] = keys.meta(channel);
        k[1] = keys.stream(channel);
        k[2] = keys.pubsub(channel);
        for (int i = 0; i < entries.size(); i++) {
            BatchEntry e = entries.get(i);
            ObjectNode body = Json.object();
            if (e.from() != null) {
                body.put("f", e.from());
            }
            body.set("d", e.data());
            args[7 + 3 * i] = body.toString();
            args[8 + 3 * i] = e.idempotencyKey() == null ? "0" : "1";
            args[9 + 3 * i] = e.sequence() == null ? "" : e.sequence().number() + "\n" + e.sequence().producer();
            k[3 + i] = keys.idempotency(channel, e.idempotencyKey() == null ? "" : e.idempotencyKey());
        }
        k[3 + entries.size()] = keys.idempotencyIndex(channel);
        return link.<List<Object>>eval(publishScript, ScriptOutputType.MULTI, k, args).thenApply(rows -> {
            List<Publication> out = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                out.add(new Publication(channel, (Long) rows.get(4 * i), (String) rows.get(4 * i + 1),
                        (Long) rows.get(4 * i + 2), entries.get(i).from(), entries.get(i).data()));
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        feeds.computeIfAbsent(channel, c -> new ChannelFeed(c,
                since -> history(c, since < 0 ? HistoryQuery.positionOnly() : new HistoryQuery(since, -1, false)),
                p -> listener.onPublication(p), reason -> drops.drop(reason, keys.pubsub(c), "not in the stream")));
        return link.call(r -> r.subscribe(keys.pubsub(channel)));
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        feeds.remove(channel);
        return link.call(r -> r.unsubscribe(keys.pubsub(channel)));
    }

    @Override
    public CompletableFuture<HistoryPage<Publication>> history(String channel, HistoryQuery query) {
        HistoryPolicy policy = link.options.retention().policyFor(channel);
        String[] args = {newEpoch(), Long.toString(metaTtlMillis()), Long.toString(policy.ttlMillis()),
                query.since() == null ? "" : Long.toString(query.since()), Integer.toString(query.limit()),
                query.reverse() ? "1" : "0"};
        String[] k = {keys.meta(channel), keys.stream(channel)};
        return link.<List<Object>>eval(historyScript, ScriptOutputType.MULTI, k, args).thenApply(r -> {
            long top = toLong(r.get(0));
            String epoch = (String) r.get(1);
            boolean complete = toLong(r.get(2)) == 1;
            List<Publication> pubs = new ArrayList<>();
            for (Object entry : (List<?>) r.get(3)) {
                pubs.add(fromStreamEntry(channel, epoch, (List<?>) entry));
            }
            return new HistoryPage<>(pubs, new StreamPosition(top, epoch), complete);
        });
    }

    @Override
    public CompletableFuture<StreamPosition> position(String channel) {
        return history(channel, HistoryQuery.positionOnly()).thenApply(HistoryPage::position);
    }

    @Override
    public Map<String, Long> dropped() {
        return drops.counts();
    }

    private void onMessage(String pubsubChannel, String message) {
        if (message.length() > link.options.maxMessage()) {
            drops.drop("oversized", pubsubChannel, message.length() + " characters");
            return;
        }
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
            drops.drop("malformed", pubsubChannel, e.toString());
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
        if (offset < 1 || epoch.isEmpty() || epoch.length() > 64 || epoch.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("offset " + offset + " or epoch '" + epoch + "' is not one a node writes");
        }
        JsonNode b = Json.parse(body);
        if (!b.isObject() || !b.has("d")) {
            throw new IllegalArgumentException("a publication body is an object with d");
        }
        JsonNode from = b.get("f");
        return new Publication(channel, offset, epoch, ts, from == null || from.isNull() ? null : from.asText(), b.get("d"));
    }

    // ---- node-wide commands ------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> deliver(Target target, byte[] frame) {
        return link.call(r -> r.publish(keys.nodes(), NodeCommand.delivery(target, frame).encode())).thenApply(n -> null);
    }

    @Override
    public CompletableFuture<Void> disconnect(Target target, int code, String reason) {
        return link.call(r -> r.publish(keys.nodes(), NodeCommand.disconnect(target, code, reason).encode())).thenApply(n -> null);
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
        RedisConnector r = link.connector();
        if (!wanted || r == null || link.isClosed()) {
            return;
        }
        log.info("redis ended the subscription to {} (slot moved?): subscribing at its new owner", pubsubChannel);
        r.refreshTopology()
                .thenCompose(v -> r.subscribe(pubsubChannel))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        log.warn("re-subscribing {} failed ({}), retrying", pubsubChannel, RedisLink.unwrap(e).toString());
                        link.later(() -> onSubscriptionEnded(pubsubChannel), Duration.ofSeconds(1));
                        return;
                    }
                    ChannelFeed feed = channel == null ? null : feeds.get(channel);
                    if (feed != null) {
                        feed.resync();
                    }
                });
    }

    /** After an outage: every wanted channel again, then what Pub/Sub dropped meanwhile, from the streams. */
    private CompletableFuture<Void> resubscribe() {
        RedisConnector r = link.connector();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        feeds.forEach((channel, feed) -> done.add(r.subscribe(keys.pubsub(channel))
                .whenComplete((v, e) -> feed.resync())));
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    @Override
    public boolean isReady() {
        return link.isReady();
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            link.release();
        }
    }

    private long metaTtlMillis() {
        return link.options.retention().metaTtl().toMillis();
    }

    private static String newEpoch() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static long toLong(Object o) {
        return o instanceof Long l ? l : Long.parseLong(o.toString());
    }
}
