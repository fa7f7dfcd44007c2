package dev.switchboard.server.engine.redis;

import dev.switchboard.protocol.Json;
import dev.switchboard.server.engine.NodeDirectory;
import dev.switchboard.server.engine.NodeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node reports in one shared hash: each node writes its counts on a heartbeat (a third of the presence TTL);
 * the hash expires a few TTLs after the last node stops writing, and readers skip and remove entries older
 * than one TTL (a node that crashed).
 */
final class RedisNodeDirectory implements NodeDirectory {

    private static final Logger log = LoggerFactory.getLogger(RedisNodeDirectory.class);

    private final RedisLink link;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Supplier<NodeInfo> self;

    RedisNodeDirectory(RedisLink link) {
        this.link = link.attach();
    }

    @Override
    public void start(Supplier<NodeInfo> self) {
        this.self = self;
        link.start();
        report();
        link.every(Duration.ofMillis(Math.max(100, ttlMillis() / 3)), this::report);
    }

    private void report() {
        RedisConnector r = link.connector();
        Supplier<NodeInfo> s = self;
        if (r == null || s == null) {
            return;
        }
        NodeInfo me = s.get();
        r.commands().hset(link.keys.nodeInfo(), me.node(), Json.text(me))
                .thenCompose(n -> r.commands().pexpire(link.keys.nodeInfo(), ttlMillis() * 3))
                .exceptionally(e -> {
                    log.debug("node report failed: {}", e.toString());
                    return null;
                });
    }

    @Override
    public CompletableFuture<List<NodeInfo>> nodes() {
        return link.call(r -> r.commands().hgetall(link.keys.nodeInfo()).toCompletableFuture().thenApply(all -> {
            long oldest = System.currentTimeMillis() - ttlMillis();
            List<NodeInfo> live = new ArrayList<>();
            all.forEach((node, json) -> {
                NodeInfo info = parse(json);
                if (info != null && info.updatedAt() >= oldest) {
                    live.add(info);
                } else {
                    r.commands().hdel(link.keys.nodeInfo(), node);
                }
            });
            live.sort(Comparator.comparing(NodeInfo::node));
            return live;
        }));
    }

    private static NodeInfo parse(String json) {
        try {
            return Json.MAPPER.readValue(json, NodeInfo.class);
        } catch (Exception e) {
            return null; // not written by a gateway of this version: treated as stale
        }
    }

    private long ttlMillis() {
        return link.options.presenceTtl().toMillis();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            link.release();
        }
    }
}
