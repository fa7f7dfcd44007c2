package dev.switchboard.server.internal.pusher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Pusher adapter's meters, each labelled with its {@code app} (the app's id; {@code unknown} for a
 * connection with a key no app has), next to the node's own ones which count Pusher traffic with the rest:
 * open connections, frames received, client events relayed, events triggered over the HTTP API, HTTP API
 * requests by operation and status, and every refusal by Pusher's error code. The hot paths' meters are
 * built once per app; the label sets are bounded by the configured apps, Pusher's codes and the routes.
 */
final class PusherMetrics {

    static final String UNKNOWN_APP = "unknown";

    private final MeterRegistry registry;
    private final Map<String, AppMeters> byApp = new HashMap<>();
    private final AppMeters unknown;

    PusherMetrics(MeterRegistry registry, PusherApps apps) {
        this.registry = registry;
        for (PusherApps.App app : apps.all()) {
            byApp.put(app.id(), new AppMeters(app.id()));
        }
        this.unknown = new AppMeters(UNKNOWN_APP);
    }

    /** The meters of {@code app}, or of the unknown app when null. */
    AppMeters of(PusherApps.App app) {
        return app == null ? unknown : byApp.get(app.id());
    }

    /** One app's meters. */
    final class AppMeters {

        private final String app;
        private final AtomicInteger connections = new AtomicInteger();
        private final Counter received;
        private final Counter clientEvents;
        private final Counter triggered;

        private AppMeters(String app) {
            this.app = app;
            Gauge.builder("switchboard.pusher.connections", connections, AtomicInteger::get).tag("app", app)
                    .description("open Pusher connections that were welcomed").register(registry);
            received = Counter.builder("switchboard.pusher.messages.received").tag("app", app)
                    .description("frames received from Pusher clients").register(registry);
            clientEvents = Counter.builder("switchboard.pusher.client.events").tag("app", app)
                    .description("client events relayed to a channel's other subscribers").register(registry);
            triggered = Counter.builder("switchboard.pusher.events.triggered").tag("app", app)
                    .description("channel events published through the HTTP API (one per channel)").register(registry);
        }

        void opened() {
            connections.incrementAndGet();
        }

        void closed() {
            connections.decrementAndGet();
        }

        void received() {
            received.increment();
        }

        void clientEvent() {
            clientEvents.increment();
        }

        void triggered(int channels) {
            triggered.increment(channels);
        }

        /** A {@code pusher:error} or subscription error sent, by Pusher's code (or HTTP-like status). */
        void refused(Integer code) {
            Counter.builder("switchboard.pusher.errors").tag("app", app)
                    .tag("code", code == null ? "none" : code.toString())
                    .description("errors sent to Pusher clients, by code").register(registry).increment();
        }

        /** An HTTP API request answered. */
        void request(String operation, int status) {
            Counter.builder("switchboard.pusher.api.requests").tag("app", app).tag("operation", operation)
                    .tag("status", Integer.toString(status)).description("Pusher HTTP API requests").register(registry)
                    .increment();
        }
    }
}
