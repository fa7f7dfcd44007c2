package dev.switchboard.server.engine.redis;

import dev.switchboard.server.engine.RetentionRules;
import java.time.Duration;

/**
 * Settings of the {@link RedisEngines} of one node.
 *
 * @param uri            {@code redis://host:port[/db]}, {@code rediss://…}, {@code redis-sentinel://h1:p1,h2:p2/db#master},
 *                       {@code redis-cluster://h1:p1,h2:p2}, or a comma list {@code redis://h1:p1,h2:p2} (cluster)
 * @param prefix         namespace of every key and Pub/Sub channel, so several deployments can share a Redis
 * @param nodeId         this gateway node's id (logs)
 * @param retention      history retention per channel pattern
 * @param presenceTtl    how long a presence entry outlives its node's last heartbeat (a crashed node's users
 *                       leave presence within this time)
 * @param commandTimeout how long a command may wait for Redis before its future fails as unavailable
 * @param maxMessage     the largest message another node can legitimately send through Redis (bytes): anything
 *                       bigger on the backplane is dropped unread
 * @param idempotencyKeys idempotency keys one channel holds at most within its window; past it the oldest are
 *                       deleted (a repeat of one of those publishes again)
 */
public record RedisEngineOptions(String uri, String prefix, String nodeId, RetentionRules retention,
                                 Duration presenceTtl, Duration commandTimeout, int maxMessage, int idempotencyKeys) {

    /** The backplane bound when none is given: four times the default largest HTTP body. */
    public static final int DEFAULT_MAX_MESSAGE = 4 << 20;

    /**
     * The bytes per key that turn what a channel may retain ({@code --history-channel-bytes}) into a number of
     * keys. A rule of conversion, not the true cost: redis-server 7.0 took 182 B for a key with a ~30-character
     * name and its TTL, and 128 B for its index entry (docs/benchmarks.md).
     */
    public static final int BYTES_PER_KEY = 256;

    /** Keys per channel when none is given: the default 8 MiB of a channel at {@link #BYTES_PER_KEY}. */
    public static final int DEFAULT_IDEMPOTENCY_KEYS = (8 << 20) / BYTES_PER_KEY;

    /** Defaults: prefix {@code sb}, 30 s presence TTL, 2 s command timeout, 4 MiB messages, 32,768 keys. */
    public static RedisEngineOptions of(String uri, String nodeId, RetentionRules retention) {
        return new RedisEngineOptions(uri, "sb", nodeId, retention, Duration.ofSeconds(30), Duration.ofSeconds(2),
                DEFAULT_MAX_MESSAGE, DEFAULT_IDEMPOTENCY_KEYS);
    }

    public RedisEngineOptions withPrefix(String p) {
        return new RedisEngineOptions(uri, p, nodeId, retention, presenceTtl, commandTimeout, maxMessage, idempotencyKeys);
    }

    public RedisEngineOptions withPresenceTtl(Duration ttl) {
        return new RedisEngineOptions(uri, prefix, nodeId, retention, ttl, commandTimeout, maxMessage, idempotencyKeys);
    }

    public RedisEngineOptions withCommandTimeout(Duration timeout) {
        return new RedisEngineOptions(uri, prefix, nodeId, retention, presenceTtl, timeout, maxMessage, idempotencyKeys);
    }

    public RedisEngineOptions withIdempotencyKeys(int keys) {
        return new RedisEngineOptions(uri, prefix, nodeId, retention, presenceTtl, commandTimeout, maxMessage, keys);
    }
}
