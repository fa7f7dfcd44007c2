package dev.switchboard.server.engine.memory;

import dev.switchboard.server.engine.BatchEntry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.BrokerListener;
import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.protocol.Publication;
import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.server.engine.Target;
import dev.switchboard.server.engine.HistoryPolicy;
import dev.switchboard.server.engine.RetentionRules;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The embedded single-node broker: everything in this JVM, nothing to set up. "Other nodes" do not exist,
 * so fan-out is a direct call back into the hub.
 *
 * <p>Each channel log gets a fresh random epoch when it is created: after a restart, or after an idle
 * channel's log was evicted ({@link RetentionRules#metaTtl()} without activity), offsets start again at 1
 * under a new epoch, and clients learn from the changed epoch that they cannot recover. A sweeper drops
 * expired publications and idle logs, so neither many channels nor a high publish rate grow memory
 * without bound.
 */
public final class MemoryBroker implements Broker {

    private final Map<String, ChannelLog> logs = new ConcurrentHashMap<>();
    private final Clock clock;
    private final RetentionRules retention;
    private final ScheduledExecutorService sweeper;
    private final long channelBytes;
    private final MemoryBudget budget;
    private volatile BrokerListener listener;

    /** Default bounds of retained history: 8 MiB per channel, a quarter of the heap for the node. */
    public static final long DEFAULT_CHANNEL_BYTES = 8L << 20;

    /** The node-wide default: a quarter of the maximum heap. */
    public static long defaultNodeBytes() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** A broker with the given retention; {@code clock} drives publication timestamps and expiry. */
    public MemoryBroker(RetentionRules retention, Clock clock) {
        this(retention, clock, DEFAULT_CHANNEL_BYTES, defaultNodeBytes());
    }

    /**
     * @param channelBytes bytes one channel may retain, history and idempotency keys (the oldest go first)
     * @param nodeBytes    history bytes all channels together may retain
     */
    public MemoryBroker(RetentionRules retention, Clock clock, long channelBytes, long nodeBytes) {
        this.retention = retention;
        this.clock = clock;
        this.channelBytes = channelBytes;
        this.budget = new MemoryBudget(nodeBytes);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "memory-broker-sweeper");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param historySize      publications retained per channel (0 = no history)
     * @param historyTtlMillis how long a publication is retained (0 = no age limit)
     */
    public MemoryBroker(int historySize, long historyTtlMillis, Clock clock) {
        this(RetentionRules.uniform(new HistoryPolicy(historySize,
                historySize == 0 ? Duration.ZERO : Duration.ofMillis(historyTtlMillis))), clock);
    }

    public MemoryBroker() {
        this(RetentionRules.defaults(), Clock.systemUTC());
    }

    @Override
    public void start(BrokerListener listener) {
        this.listener = listener;
        long period = Math.max(1_000, Math.min(10_000, retention.metaTtl().toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Drops expired publications, forgets channels idle for longer than the meta TTL, and while the node holds
     * more history bytes than its budget, trims the largest channels (oldest publications and idempotency keys first).
     */
    void sweep() {
        long now = clock.millis();
        long idle = retention.metaTtl().toMillis();
        for (Map.Entry<String, ChannelLog> e : logs.entrySet()) {
            ChannelLog log = e.getValue();
            synchronized (log) {
                log.expire(now);
                if (now - log.lastActivity() > idle) {
                    logs.remove(e.getKey(), log);
                    log.release();
                }
            }
        }
        while (budget.exceeded()) {
            ChannelLog largest = null;
            long most = 0;
            for (ChannelLog log : logs.values()) {
                long b;
                synchronized (log) {
                    b = log.retainedBytes();
                }
                if (b > most) {
                    most = b;
                    largest = log;
                }
            }
            if (largest == null) {
                return;
            }
            synchronized (largest) {
                while (budget.exceeded() && largest.retainedBytes() * 2 > most && largest.trimOne(false)) {
                    // trim the largest to half its size at most, then look again
                }
            }
        }
    }

    /** History bytes retained across all channels (for tests and metrics). */
    long retainedBytes() {
        return budget.used();
    }

    /** How many channel logs are held (for tests and metrics). */
    int channelCount() {
        return logs.size();
    }

    /** How many publications are retained across all channels (for tests and metrics). */
    long retainedCount() {
        long n = 0;
        for (ChannelLog log : logs.values()) {
            synchronized (log) {
                n += log.retained();
            }
        }
        return n;
    }

    private ChannelLog log(String channel) {
        return logs.computeIfAbsent(channel, c -> new ChannelLog(c, newEpoch(), retention.policyFor(c), clock.millis(),
                channelBytes, budget, retention.dedupWindowFor(c).toMillis()));
    }

    private static String newEpoch() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public CompletableFuture<Publication> publish(String channel, String from, JsonNode data, String idempotencyKey) {
        return CompletableFuture.completedFuture(publishAll(channel, List.of(new BatchEntry(from, data, idempotencyKey))).get(0));
    }

    /** The whole batch under the channel's one lock. */
    @Override
    public CompletableFuture<List<Publication>> publishBatch(String channel, List<BatchEntry> entries) {
        return CompletableFuture.completedFuture(publishAll(channel, entries));
    }

    private List<Publication> publishAll(String channel, List<BatchEntry> entries) {
        while (true) {
            ChannelLog log = log(channel);
            synchronized (log) {
                if (logs.get(channel) != log) {
                    continue; // evicted by the sweeper between lookup and lock: use the new log
                }
                long now = clock.millis();
                List<Publication> out = new ArrayList<>(entries.size());
                for (BatchEntry e : entries) {
                    Publication earlier = log.replayOf(e, now);
                    if (earlier != null) {
                        out.add(earlier); // a repeat: stored and delivered already
                        continue;
                    }
                    // Offset assignment and hand-off happen under one lock so subscribers see offsets in order.
                    Publication p = log.append(e, now);
                    listener.onPublication(p);
                    out.add(p);
                }
                return out;
            }
        }
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

    // Reads create the log too: a subscriber to a still-empty channel must be given the epoch that the
    // channel's first publications will carry, or its first recovery would wrongly fail.
    @Override
    public CompletableFuture<HistoryPage<Publication>> history(String channel, HistoryQuery query) {
        while (true) {
            ChannelLog log = log(channel);
            synchronized (log) {
                if (logs.get(channel) == log) {
                    return CompletableFuture.completedFuture(log.read(query, clock.millis()));
                }
            }
        }
    }

    @Override
    public CompletableFuture<StreamPosition> position(String channel) {
        while (true) {
            ChannelLog log = log(channel);
            synchronized (log) {
                if (logs.get(channel) == log) {
                    return CompletableFuture.completedFuture(log.position(clock.millis()));
                }
            }
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
        sweeper.shutdownNow();
        logs.values().forEach(log -> {
            synchronized (log) {
                log.release();
            }
        });
        logs.clear();
    }
}
