package dev.switchboard.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/**
 * Where a node's meters go: its own Prometheus registry (served at /metrics), and an embedding application's
 * registry beside it when one is given (a Spring application's, exported however the application exports).
 */
final class NodeMeters implements AutoCloseable {

    private final PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MeterRegistry shared;
    private final MeterRegistry registry;

    NodeMeters(MeterRegistry shared) {
        this.shared = shared;
        // A composite only when there is a second registry: every counter on the hot path pays for one.
        this.registry = shared == null ? own
                : new CompositeMeterRegistry(io.micrometer.core.instrument.Clock.SYSTEM, List.of(own, shared));
    }

    /** Where the gateway registers its meters. */
    MeterRegistry registry() {
        return registry;
    }

    /** The node's own registry: /metrics, and the JVM meters (an application reports its JVM already). */
    PrometheusMeterRegistry own() {
        return own;
    }

    @Override
    public void close() {
        if (shared != null) {
            // The application's registry outlives the node: leave no gauge reading a closed gateway in it.
            registry.getMeters().forEach(m -> shared.remove(m.getId()));
        }
        own.close();
    }
}
