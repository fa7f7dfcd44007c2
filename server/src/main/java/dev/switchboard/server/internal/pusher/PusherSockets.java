package dev.switchboard.server.internal.pusher;

import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.routing.NodeServices;
import dev.switchboard.server.internal.routing.SocketProtocol;
import dev.switchboard.server.internal.routing.SocketSession;
import java.util.List;
import java.util.Map;

/** Pusher's WebSocket path, {@code /app/{key}?protocol=7&client=…&version=…}: a {@link PusherSession} each. */
final class PusherSockets implements SocketProtocol {

    private static final String PREFIX = "/app/";

    private final PusherApps apps;
    private final NodeServices node;
    private final PusherSettings settings;
    private final SocketIds sockets;
    private final PusherWebhooks webhooks;
    private final PusherMetrics metrics;

    PusherSockets(PusherApps apps, NodeServices node, PusherSettings settings, SocketIds sockets, PusherWebhooks webhooks,
                  PusherMetrics metrics) {
        this.apps = apps;
        this.node = node;
        this.settings = settings;
        this.sockets = sockets;
        this.webhooks = webhooks;
        this.metrics = metrics;
    }

    @Override
    public boolean serves(String path) {
        return path.startsWith(PREFIX) && path.length() > PREFIX.length() && path.indexOf('/', PREFIX.length()) < 0;
    }

    @Override
    public Refusal overCapacity() {
        return new Refusal(dev.switchboard.protocol.Json.bytes(PusherFrames.error(4100,
                "Over capacity: this node takes no more connections; try again shortly")), 4100, "Over capacity");
    }

    @Override
    public SocketSession open(Connection connection, String path, Map<String, List<String>> query) {
        List<String> protocol = query.get("protocol");
        PusherApps.App app = apps.byKey(path.substring(PREFIX.length()));
        connection.app(app == null ? PusherMetrics.UNKNOWN_APP : app.id());
        return new PusherSession(connection, app, protocol == null || protocol.isEmpty() ? "" : protocol.get(0), node,
                settings, sockets, webhooks, metrics.of(app));
    }
}
