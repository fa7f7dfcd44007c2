package dev.switchboard.server.engine.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** One Redis server, or the master that Sentinel points at: a command connection and a Pub/Sub connection. */
final class StandaloneConnector implements RedisConnector {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final StatefulRedisPubSubConnection<String, String> pubsub;

    StandaloneConnector(ClientResources resources, RedisURI uri, ClientOptions options) {
        this.client = RedisClient.create(resources, uri);
        client.setOptions(options);
        Connections<StatefulRedisConnection<String, String>, StatefulRedisPubSubConnection<String, String>> both = Connections.open(
                () -> client.connect(StringCodec.UTF8), () -> client.connectPubSub(StringCodec.UTF8), client::shutdown);
        this.connection = both.commands();
        this.pubsub = both.pubsub();
    }

    @Override
    public RedisClusterAsyncCommands<String, String> commands() {
        return connection.async();
    }

    @Override
    public boolean sharded() {
        return false;
    }

    @Override
    public void listen(BiConsumer<String, String> onMessage) {
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                onMessage.accept(channel, message);
            }
        });
    }

    @Override
    public CompletableFuture<Void> subscribe(String pubsubChannel) {
        return pubsub.async().subscribe(pubsubChannel).toCompletableFuture();
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String pubsubChannel) {
        return pubsub.async().unsubscribe(pubsubChannel).toCompletableFuture();
    }

    @Override
    public CompletableFuture<Long> publish(String pubsubChannel, String message) {
        return connection.async().publish(pubsubChannel, message).toCompletableFuture();
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
