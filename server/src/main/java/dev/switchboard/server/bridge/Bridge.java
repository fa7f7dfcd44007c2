package dev.switchboard.server.bridge;

/**
 * A link between the gateway and a streaming platform (Kafka today; NATS JetStream or a database outbox
 * would be new implementations): it publishes into channels through the same path as the HTTP publish API,
 * and may forward the node's publications out. Started after the node's engines, closed before them.
 */
public interface Bridge extends AutoCloseable {

    /** A short name for {@code /readyz} and logs, e.g. "kafka". */
    String name();

    /** Starts consuming and producing; must not block on the platform being reachable. */
    void start(BridgeContext context);

    /** Whether the platform is reachable now (shown by {@code /readyz}; sockets are served either way). */
    boolean isReady();

    /** Stops: in-flight publications are awaited and what was stored is acknowledged to the platform. */
    @Override
    void close();
}
