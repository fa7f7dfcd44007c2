package dev.switchboard.server;

import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.internal.api.ApiKeys;
import dev.switchboard.server.internal.auth.TicketVerifier;
import dev.switchboard.server.internal.durable.DurableSettings;
import dev.switchboard.server.internal.durable.DurableStreamsApi;
import dev.switchboard.server.internal.transport.HttpRoutes;
import dev.switchboard.server.streams.StreamLimits;
import dev.switchboard.server.streams.StreamStore;
import dev.switchboard.server.streams.memory.MemoryStreamStore;
import dev.switchboard.server.streams.redis.RedisStreamStore;
import java.time.Clock;
import java.time.Duration;
import dev.switchboard.server.engine.NodeDirectory;
import dev.switchboard.server.internal.resumable.ResumableReplies;

/**
 * A node's Durable Streams: the store (in memory on the memory engine, in Redis on the Redis engine, so that a
 * cluster shares its streams) and the HTTP protocol face over it.
 */
final class NodeStreams implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NodeStreams.class);

    private final StreamStore store;
    private DurableStreamsApi api;
    private ResumableReplies replies;

    private NodeStreams(StreamStore store) {
        this.store = store;
    }

    static NodeStreams open(GatewayConfig config, Clock clock) {
        StreamLimits limits = new StreamLimits(config.streamsMaxStreamBytes, config.streamsMaxBytes,
                config.streamsMaxCount, config.streamsMaxPerWriter, 1 << 20);
        if ("redis".equalsIgnoreCase(config.engine)) {
            return new NodeStreams(new RedisStreamStore(config.redis, config.redisPrefix, config.redisTimeout, limits));
        }
        return new NodeStreams(new MemoryStreamStore(limits, clock));
    }

    StreamStore store() {
        return store;
    }

    /** The node's resumable replies (one instance, made on first use), on the store of its streams. */
    synchronized ResumableReplies replies(String nodeId, NodeDirectory nodes, GatewayConfig config) {
        if (replies == null) {
            // a quiet reader looks for its reply's producer a few times per presence TTL, the time a dead
            // node takes to drop out of the directory
            Duration liveness = Duration.ofMillis(Math.max(200, config.presenceTtl.toMillis() / 3));
            replies = new ResumableReplies(store, nodeId, nodes, config.streamTtl, config.streamMaxDuration, liveness);
        }
        return replies;
    }

    /** Serves the protocol under {@code --streams-prefix}, unless {@code --no-streams}. */
    void install(GatewayConfig config, HttpRoutes routes, TicketVerifier tickets, boolean tls, Clock clock) {
        if (!config.streams) {
            return;
        }
        api = new DurableStreamsApi(store, new DurableSettings(config.streamsPrefix, config.streamsLongPollTimeout,
                config.streamsSseDuration, config.streamsMaxAppend, tls),
                new ApiKeys(NodeRoutes.apiKeys(config)), tickets, clock);
        api.install(routes);
    }

    /**
     * Waits (at most {@code timeout}) for the resumable replies this node is still producing: their requesters
     * are gone with the connections, but each one's answer finishes into its stream, where a client that
     * reconnects elsewhere (or here, after the restart) resumes it.
     */
    void awaitReplies(Duration timeout) {
        if (replies == null || replies.producing() == 0) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int left = replies.producing();
        log.info("waiting up to {} ms for {} resumable repl(ies) to finish into their streams", timeout.toMillis(), left);
        while (replies.producing() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // a bounded wait for handlers on other threads; nothing to join
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (replies.producing() > 0) {
            log.warn("{} resumable repl(ies) still producing at shutdown: their readers will see producer_lost",
                    replies.producing());
        }
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
        if (replies != null) {
            replies.close();
        }
        store.close();
    }
}
