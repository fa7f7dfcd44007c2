package dev.switchboard.server.internal.pusher;

import dev.switchboard.server.app.GatewayEvents;
import dev.switchboard.server.internal.delivery.ChannelFormats;
import dev.switchboard.server.internal.delivery.ChannelPolicies;
import dev.switchboard.server.internal.routing.NodeServices;
import dev.switchboard.server.internal.transport.HttpRoutes;
import io.micrometer.core.instrument.MeterRegistry;
import dev.switchboard.server.internal.outbound.client.BackendClient;
import java.time.Clock;
import java.time.Duration;

/**
 * The Pusher Channels protocol as an adapter over the node: its apps' channels are a namespace each (written in
 * Pusher's frames, indexed for its channel API, closed to native clients), its WebSocket path
 * {@code /app/{key}}, its HTTP API {@code /apps/{id}/…} and its webhooks. pusher-js, Laravel Echo and the
 * Pusher server libraries work against it unchanged; the cluster, limits, logs and metrics are the node's.
 */
public final class Pusher implements AutoCloseable {

    private final PusherApps apps;
    private final PusherSettings settings;
    private final SocketIds sockets;
    private PusherWebhooks webhooks;

    public Pusher(PusherApps apps, PusherSettings settings, String nodeId) {
        this.apps = apps;
        this.settings = settings;
        this.sockets = new SocketIds(nodeId);
    }

    /** Gives each app's namespace its channel rules and Pusher's frames; before the node's membership serves. */
    public void register(ChannelPolicies policies, ChannelFormats formats) {
        for (PusherApps.App app : apps.all()) {
            policies.register(app.namespace(), channel -> {
                boolean presence = PusherChannels.isPresence(app.external(channel));
                return new ChannelPolicies.Namespace(presence, presence, false, false, false, true);
            });
            formats.register(app.namespace(), new PusherFormat(app, sockets));
        }
    }

    /** The apps' webhooks, as a listener of the node's events. */
    public GatewayEvents webhooks(int queueSize, int retries, Duration timeout, Clock clock, BackendClient http,
                                  MeterRegistry metrics) {
        webhooks = new PusherWebhooks(apps, queueSize, retries, timeout, clock, http, metrics);
        return webhooks;
    }

    /** Serves the WebSocket path and the HTTP API, their meters labelled by app in {@code registry}. */
    public void install(HttpRoutes routes, NodeServices node, Clock clock, MeterRegistry registry) {
        PusherMetrics metrics = new PusherMetrics(registry, apps);
        routes.socket(new PusherSockets(apps, node, settings, sockets, webhooks, metrics));
        new PusherHttpApi(apps, node.operations(), settings, clock, metrics).install(routes);
    }

    @Override
    public void close() {
        if (webhooks != null) {
            webhooks.close();
        }
    }
}
