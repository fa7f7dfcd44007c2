package dev.switchboard.server.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The cluster's nodes as the shared store knows them: each node reports its own counts and reads the
 * others'. A single-node gateway has no other node ({@link #SINGLE_NODE}).
 */
public interface NodeDirectory extends AutoCloseable {

    /** Knows only this node: the embedded default. */
    NodeDirectory SINGLE_NODE = new NodeDirectory() {
        @Override
        public void start(Supplier<NodeInfo> self) {
        }

        @Override
        public CompletableFuture<List<NodeInfo>> nodes() {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public void close() {
        }
    };

    /** Starts reporting; {@code self} gives this node's current counts each time a report is due. */
    void start(Supplier<NodeInfo> self);

    /** The other nodes' latest reports (nodes that stopped reporting drop out). */
    CompletableFuture<List<NodeInfo>> nodes();

    @Override
    void close();
}
