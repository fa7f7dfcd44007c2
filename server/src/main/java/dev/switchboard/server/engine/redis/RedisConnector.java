package dev.switchboard.server.engine.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The two shapes of Redis the engine can sit on: one server (optionally found through Sentinel), where
 * fan-out uses classic Pub/Sub, and Redis Cluster, where it uses sharded Pub/Sub so each publication only
 * travels within its slot's shard.
 */
interface RedisConnector extends AutoCloseable {

    /** Commands for keys and scripts; in a cluster they are routed by key slot. */
    RedisClusterAsyncCommands<String, String> commands();

    /** True for Redis Cluster: publish with SPUBLISH and subscribe with SSUBSCRIBE. */
    boolean sharded();

    /**
     * Calls {@code handler} with a Pub/Sub channel whose subscription Redis ended, whether this node asked
     * for it or not: Redis Cluster ends the shard subscriptions of a slot that moves to another master.
     */
    default void onSubscriptionEnded(Consumer<String> handler) {
    }

    /** Re-reads which node serves which slot (Redis Cluster), so that a subscribe goes to the new owner. */
    default CompletableFuture<Void> refreshTopology() {
        return CompletableFuture.completedFuture(null);
    }

    /** The command the publish script uses: PUBLISH or SPUBLISH. */
    default String publishCommand() {
        return sharded() ? "SPUBLISH" : "PUBLISH";
    }

    /** Starts receiving {@code (pubsubChannel, message)} for every channel subscribed with {@link #subscribe}. */
    void listen(BiConsumer<String, String> onMessage);

    /** Subscribes to a Pub/Sub channel (sharded in a cluster); the client re-subscribes after reconnects. */
    CompletableFuture<Void> subscribe(String pubsubChannel);

    /** Drops a subscription. */
    CompletableFuture<Void> unsubscribe(String pubsubChannel);

    /** Publishes a message on a Pub/Sub channel (sharded in a cluster). */
    CompletableFuture<Long> publish(String pubsubChannel, String message);

    /** Whether the subscription connection(s) are up. */
    boolean subscriptionsOpen();

    @Override
    void close();

    /**
     * A connector's command and Pub/Sub connections, opened together or not at all: if either fails, what was
     * opened is closed and the client shut down, so a node retrying an unreachable Redis leaks nothing.
     */
    record Connections<C extends StatefulConnection<String, String>, P>(C commands, P pubsub) {

        static <C extends StatefulConnection<String, String>, P> Connections<C, P> open(
                Supplier<C> commands, Supplier<P> pubsub, Runnable shutdownClient) {
            C opened = null;
            try {
                opened = commands.get();
                return new Connections<>(opened, pubsub.get());
            } catch (RuntimeException e) {
                if (opened != null) {
                    opened.close();
                }
                shutdownClient.run();
                throw e;
            }
        }
    }
}
