package dev.switchboard.server.engine.redis;

import dev.switchboard.server.engine.EngineUnavailableException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's connection to Redis, shared by its broker, presence manager and node directory: connects (and
 * keeps retrying with jittered exponential backoff while Redis is out of reach, so the node starts not
 * ready instead of failing), probes health, runs the parts' heartbeats on one timer thread, and turns every
 * Redis failure into {@link EngineUnavailableException}. It also holds the node-wide command channel that
 * every node subscribes to. Closed when the last part using it is closed.
 */
final class RedisLink {

    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    final RedisEngineOptions options;
    final RedisKeys keys;
    /** The URI as logs and errors show it: a password in it is never written out. */
    private final String shown;
    private final ClientResources resources;
    private final ClientOptions clientOptions;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger users = new AtomicInteger();
    private final List<Supplier<CompletableFuture<Void>>> onReconnect = new CopyOnWriteArrayList<>();
    private volatile BiConsumer<String, String> onMessage = (channel, message) -> { };
    private volatile Consumer<String> onSubscriptionEnded = channel -> { };
    /** Null until the first successful connect; Lettuce reconnects it by itself after that. */
    private volatile RedisConnector redis;
    /** Start-up retries (timer thread only). */
    private int connectAttempts;
    private long nextConnectAt;
    private volatile String lastConnectFailure;

    RedisLink(RedisEngineOptions options) {
        this.options = options;
        this.keys = new RedisKeys(options.prefix());
        this.shown = options.uri().replaceAll("//[^/@]*@", "//***@");
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
                .socketOptions(socketOptions(options.commandTimeout()))
                .build();
    }

    /**
     * A network that goes silent (a partition, a cable) must end the connection, not leave it waiting on TCP's
     * retransmission back-off: measured by {@code bench faults}, a 39 s partition cost 42 s more before the node
     * heard Redis again, the kernel retrying an old connection at ever longer intervals. Data unacknowledged for
     * three command time-outs ends it (TCP_USER_TIMEOUT), keepalive probes make an idle Pub/Sub connection count
     * too, and the node reconnects at once when the network is back.
     */
    private static SocketOptions socketOptions(Duration commandTimeout) {
        Duration probe = Duration.ofSeconds(Math.max(1, commandTimeout.toSeconds()));
        return SocketOptions.builder().connectTimeout(commandTimeout)
                .keepAlive(SocketOptions.KeepAliveOptions.builder().enable().idle(probe).interval(probe).count(3).build())
                .tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder().enable()
                        .tcpUserTimeout(commandTimeout.multipliedBy(3)).build())
                .build();
    }

    // ---- wiring (before start) ---------------------------------------------------------------------------

    /** A part that uses the link; the link closes when every attached part has released it. */
    RedisLink attach() {
        users.incrementAndGet();
        return this;
    }

    void onMessage(BiConsumer<String, String> handler) {
        this.onMessage = handler;
    }

    void onSubscriptionEnded(Consumer<String> handler) {
        this.onSubscriptionEnded = handler;
    }

    /** Run when Redis is reachable again after an outage (or first reached after a failed start). */
    void onReconnect(Supplier<CompletableFuture<Void>> action) {
        onReconnect.add(action);
    }

    // ---- lifecycle --------------------------------------------------------------------------------------

    /**
     * Connects and subscribes to the node-wide channel; idempotent (each part starts it). A Redis that cannot
     * be reached now does not stop the node: it serves as not ready and keeps trying in the background.
     */
    void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        if (connect()) {
            ready.set(true);
        } else {
            log.warn("redis at {} unreachable at start ({}): serving as not ready, retrying in the background",
                    shown, lastConnectFailure);
            scheduleNextConnect();
        }
        timer.scheduleWithFixedDelay(this::probe, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on the link's timer every {@code period}, surviving its failures. */
    void every(Duration period, Runnable task) {
        long ms = period.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.debug("redis heartbeat task failed: {}", e.toString());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    void later(Runnable task, Duration delay) {
        if (!closed.get()) {
            timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    boolean isReady() {
        return ready.get() && !closed.get();
    }

    boolean isClosed() {
        return closed.get();
    }

    /** The connector, or null while Redis was never reached. */
    RedisConnector connector() {
        return redis;
    }

    /** One part is done with the link; the last one closes it. */
    void release() {
        if (users.decrementAndGet() > 0 || !closed.compareAndSet(false, true)) {
            return;
        }
        timer.shutdownNow();
        RedisConnector r = redis;
        if (r != null) {
            r.close();
        }
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** One attempt to open the connections and subscribe the node-wide channel; false if Redis is unreachable. */
    private boolean connect() {
        RedisConnector c = null;
        try {
            c = RedisUris.isCluster(options.uri())
                    ? new ClusterConnector(resources, RedisUris.clusterSeeds(options.uri()), clientOptions, options.commandTimeout())
                    : new StandaloneConnector(resources, RedisUris.single(options.uri()), clientOptions);
            c.listen((channel, message) -> onMessage.accept(channel, message));
            c.onSubscriptionEnded(channel -> onSubscriptionEnded.accept(channel));
            await(c.subscribe(keys.nodes()));
        } catch (RedisException | EngineUnavailableException e) {
            lastConnectFailure = e.getMessage();
            if (c != null) {
                c.close();
            }
            return false;
        }
        redis = c;
        if (closed.get()) { // closed while this attempt was connecting: release() saw no connector to close
            redis = null;
            c.close();
            return false;
        }
        log.info("redis engine connected to {} ({})", shown, c.sharded() ? "cluster, sharded pub/sub" : "single");
        return true;
    }

    /** Full jitter over an exponential ceiling (100 ms doubling to 5 s), like Lettuce's own reconnects. */
    private void scheduleNextConnect() {
        long ceiling = Math.min(5_000, 100L << Math.min(connectAttempts++, 6));
        nextConnectAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

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
                    await(reconnected());
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
            log.info("redis reachable again: re-subscribing and fetching missed publications");
            reconnected();
        } else if (!ok && was) {
            log.warn("redis unreachable: publishes fail as unavailable until it is back");
        }
    }

    /**
     * Subscriptions are re-issued explicitly (SUBSCRIBE is idempotent): Lettuce restores them on reconnect, but
     * not the ones that failed while Redis was away. Then each part does what it must after an outage.
     */
    private CompletableFuture<Void> reconnected() {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        done.add(redis.subscribe(keys.nodes()));
        onReconnect.forEach(action -> done.add(action.get()));
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    // ---- commands -----------------------------------------------------------------------------------------

    /** EVALSHA, falling back to EVAL when Redis lost its script cache (restart, SCRIPT FLUSH). */
    <T> CompletableFuture<T> eval(LuaScript script, ScriptOutputType type, String[] k, String[] args) {
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
    <T> CompletableFuture<T> call(Function<RedisConnector, CompletableFuture<T>> op) {
        RedisConnector r = redis;
        return r == null ? notConnected() : guard(op.apply(r));
    }

    <T> CompletableFuture<T> notConnected() {
        String why = closed.get() ? "redis engine is closed"
                : "redis at " + shown + " not reached yet" + (lastConnectFailure == null ? "" : ": " + lastConnectFailure);
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

    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
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
