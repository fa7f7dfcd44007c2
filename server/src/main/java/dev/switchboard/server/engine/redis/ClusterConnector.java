package dev.switchboard.server.engine.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Redis Cluster: commands are routed by key slot; fan-out uses sharded Pub/Sub. A shard channel must be
 * subscribed on the master that owns its slot, so SSUBSCRIBE goes to that node's Pub/Sub connection, whose
 * messages Lettuce propagates to the one listener here.
 */
final class ClusterConnector implements RedisConnector {

    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<String, String> connection;
    private final StatefulRedisClusterPubSubConnection<String, String> pubsub;

    @SuppressWarnings("deprecation")
    ClusterConnector(ClientResources resources, List<RedisURI> seeds, ClientOptions base, Duration timeout) {
        this.client = RedisClusterClient.create(resources, seeds);
        client.setOptions(ClusterClientOptions.builder(base)
                // Node connections open lazily, on first use: rejecting commands until then would fail the
                // first command to each node. Queued commands still fail at the command timeout.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        // MOVED/ASK redirects and reconnects trigger a topology refresh (slot moves, failover).
                        // Deprecated in Lettuce 7 but still the documented way to react to failovers quickly.
                        .enableAllAdaptiveRefreshTriggers()
                        .build())
                .build());
        Connections<StatefulRedisClusterConnection<String, String>, StatefulRedisClusterPubSubConnection<String, String>> both = Connections.open(
                () -> client.connect(StringCodec.UTF8), () -> client.connectPubSub(StringCodec.UTF8), client::shutdown);
        this.connection = both.commands();
        this.pubsub = both.pubsub();
        pubsub.setNodeMessagePropagation(true);
    }

    @Override
    public RedisClusterAsyncCommands<String, String> commands() {
        return connection.async();
    }

    @Override
    public boolean sharded() {
        return true;
    }

    @Override
    public void listen(BiConsumer<String, String> onMessage) {
        pubsub.addListener(new RedisClusterPubSubAdapter<>() {
            @Override
            public void smessage(RedisClusterNode node, String channel, String message) {
                onMessage.accept(channel, message);
            }
        });
    }

    @Override
    public void onSubscriptionEnded(Consumer<String> handler) {
        pubsub.addListener(new RedisClusterPubSubAdapter<>() {
            @Override
            public void sunsubscribed(RedisClusterNode node, String channel, long count) {
                handler.accept(channel);
            }
        });
    }

    @Override
    public CompletableFuture<Void> refreshTopology() {
        return client.refreshPartitionsAsync().toCompletableFuture();
    }

    private CompletableFuture<StatefulRedisPubSubConnection<String, String>> owner(String shardChannel) {
        RedisClusterNode node = pubsub.getPartitions().getMasterBySlot(SlotHash.getSlot(shardChannel));
        if (node == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no master for slot of " + shardChannel));
        }
        return pubsub.getConnectionAsync(node.getNodeId());
    }

    @Override
    public CompletableFuture<Void> subscribe(String shardChannel) {
        return owner(shardChannel).thenCompose(c -> c.async().ssubscribe(shardChannel).toCompletableFuture());
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String shardChannel) {
        return owner(shardChannel).thenCompose(c -> c.async().sunsubscribe(shardChannel).toCompletableFuture());
    }

    @Override
    public CompletableFuture<Long> publish(String shardChannel, String message) {
        return connection.async().spublish(shardChannel, message).toCompletableFuture();
    }

    @Override
    public boolean subscriptionsOpen() {
        return pubsub.isOpen();
    }

    @Override
    public void close() {
        pubsub.close();
        connection.close();
        client.shutdown();
    }
}
