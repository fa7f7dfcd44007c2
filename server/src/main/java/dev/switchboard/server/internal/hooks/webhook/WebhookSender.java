package dev.switchboard.server.internal.hooks.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.app.GatewayEvents;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import dev.switchboard.server.internal.outbound.client.BackendClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The native webhooks: connect, disconnect, channel occupied/vacated and presence events as
 * {@code {"node", "ts", "events": [...]}}, signed ({@link WebhookSignature}), sent by a {@link WebhookQueue}
 * (bounded, batched, retried with jittered backoff).
 */
public final class WebhookSender implements GatewayEvents, AutoCloseable {

    private final WebhookSignature signature;
    private final Set<String> wanted;
    private final String nodeId;
    private final Clock clock;
    private final WebhookQueue queue;

    /**
     * @param wanted event names to send; empty = all
     */
    public WebhookSender(URI url, String secret, Set<String> wanted, int queueSize, int retries, Duration timeout,
                         String nodeId, Clock clock, BackendClient http, MeterRegistry metrics) {
        this.signature = secret == null ? null : new WebhookSignature(secret);
        this.wanted = wanted;
        this.nodeId = nodeId;
        this.clock = clock;
        this.queue = new WebhookQueue("native", url, this::envelope, queueSize, retries, timeout, http, metrics);
    }

    // ---- events -------------------------------------------------------------------------------------------

    @Override
    public void connected(ConnectionInfo c) {
        ObjectNode e = event("connect");
        if (e != null) {
            connection(e, c);
            offer(e);
        }
    }

    @Override
    public void disconnected(ConnectionInfo c, int code, String reason) {
        ObjectNode e = event("disconnect");
        if (e != null) {
            connection(e, c);
            e.put("code", code);
            e.put("reason", reason);
            e.put("duration", Math.max(0, clock.millis() - c.connectedAt()));
            offer(e);
        }
    }

    @Override
    public void channelOccupied(String channel) {
        channelEvent("channel_occupied", channel, null);
    }

    @Override
    public void channelVacated(String channel) {
        channelEvent("channel_vacated", channel, null);
    }

    @Override
    public void presenceJoined(String channel, String user) {
        channelEvent("presence_join", channel, user);
    }

    @Override
    public void presenceLeft(String channel, String user) {
        channelEvent("presence_leave", channel, user);
    }

    @Override
    public boolean wantsDisconnects() {
        return wanted.isEmpty() || wanted.contains("disconnect");
    }

    @Override
    public boolean wantsOccupancy() {
        return wanted.isEmpty() || wanted.contains("channel_occupied") || wanted.contains("channel_vacated");
    }

    private void channelEvent(String name, String channel, String user) {
        ObjectNode e = event(name);
        if (e != null) {
            e.put("channel", channel);
            if (user != null) {
                e.put("user", user);
            }
            offer(e);
        }
    }

    private ObjectNode event(String name) {
        if (!wanted.isEmpty() && !wanted.contains(name)) {
            return null;
        }
        ObjectNode e = Json.object();
        e.put("event", name);
        e.put("ts", clock.millis());
        return e;
    }

    private static void connection(ObjectNode e, ConnectionInfo c) {
        e.put("connection", c.connection());
        e.put("user", c.user());
        e.put("endpoint", c.endpoint());
        e.put("remoteAddr", c.remoteAddr());
    }

    private void offer(ObjectNode e) {
        queue.offer(e);
    }

    private WebhookQueue.Post envelope(List<ObjectNode> events) {
        ObjectNode body = Json.object();
        body.put("node", nodeId);
        body.put("ts", clock.millis());
        ArrayNode list = body.putArray("events");
        events.forEach(list::add);
        byte[] bytes = Json.bytes(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (signature != null) {
            headers.put(WebhookSignature.HEADER, signature.sign(bytes));
        }
        return new WebhookQueue.Post(bytes, headers);
    }

    /** See {@link WebhookQueue#close(Duration)}. */
    public void close(Duration flush) {
        queue.close(flush);
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
