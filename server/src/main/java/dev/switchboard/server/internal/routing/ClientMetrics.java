package dev.switchboard.server.internal.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Per-node meters of the routing layer: what came in, how handlers did, which errors went out. */
public final class ClientMetrics {

    private final MeterRegistry registry;
    private final Counter received;
    private final Counter rateLimited;
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Timer> handlers = new ConcurrentHashMap<>();

    public ClientMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.received = Counter.builder("switchboard.messages.received").description("inbound text frames").register(registry);
        this.rateLimited = Counter.builder("switchboard.messages.rate.limited").description("inbound frames dropped by the rate limit").register(registry);
    }

    /** A registry-less instance for tests and tools that do not export metrics. */
    public static ClientMetrics noop() {
        return new ClientMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    void received() {
        received.increment();
    }

    void rateLimited() {
        rateLimited.increment();
    }

    /** Error frames by code; codes come from the protocol and registered handlers, so cardinality is bounded. */
    void error(String code) {
        errors.computeIfAbsent(code, c -> Counter.builder("switchboard.errors").tag("code", c)
                .description("error frames sent").register(registry)).increment();
    }

    /** Handler run time by message type; only registered types reach here, so cardinality is bounded. */
    Timer handler(String type) {
        return handlers.computeIfAbsent(type, t -> Timer.builder("switchboard.handler.duration").tag("type", t)
                .description("time from handler start to return").publishPercentileHistogram(false).register(registry));
    }
}
