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
 */
public record RedisEngineOptions(String uri, String prefix, String nodeId, RetentionRules retention,
                                 Duration presenceTtl, Duration commandTimeout, int maxMessage) {

    /** The backplane bound when none is given: four times the default largest HTTP body. */
    public static final int DEFAULT_MAX_MESSAGE = 4 << 20;

    /** Defaults: prefix {@code sb}, 30 s presence TTL, 2 s command timeout, 4 MiB messages. */
    public static RedisEngineOptions of(String uri, String nodeId, RetentionRules retention) {
        return new RedisEngineOptions(uri, "sb", nodeId, retention, Duration.ofSeconds(30), Duration.ofSeconds(2),
                DEFAULT_MAX_MESSAGE);
    }

    public RedisEngineOptions withPrefix(String p) {
        return new RedisEngineOptions(uri, p, nodeId, retention, presenceTtl, commandTimeout, maxMessage);
    }

    public RedisEngineOptions withPresenceTtl(Duration ttl) {
        return new RedisEngineOptions(uri, prefix, nodeId, retention, ttl, commandTimeout, maxMessage);
    }

    public RedisEngineOptions withCommandTimeout(Duration timeout) {
        return new RedisEngineOptions(uri, prefix, nodeId, retention, presenceTtl, timeout, maxMessage);
    }
}
