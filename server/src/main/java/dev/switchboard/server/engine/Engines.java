package dev.switchboard.server.engine;

import java.util.function.Supplier;

/**
 * The three pieces a gateway node shares with the others, injectable one by one: a test or an application
 * may pair any broker with any presence manager.
 */
public record Engines(Broker broker, PresenceManager presence, NodeDirectory nodes) implements AutoCloseable {

    /** Opens the engines of one node; the node id names it in a cluster's reports. */
    @FunctionalInterface
    public interface Provider {
        Engines open(String nodeId);
    }

    /** Starts all three, wired to the node's hub. */
    public void start(BrokerListener deliveries, PresenceListener expiries, Supplier<NodeInfo> self) {
        broker.start(deliveries);
        presence.start(expiries);
        nodes.start(self);
    }

    public boolean isReady() {
        return broker.isReady();
    }

    /** Presence first (a clean stop removes this node's entries through the still-open broker connection). */
    @Override
    public void close() {
        presence.close();
        nodes.close();
        broker.close();
    }
}
