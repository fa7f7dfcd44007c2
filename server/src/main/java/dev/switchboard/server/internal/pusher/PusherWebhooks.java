package dev.switchboard.server.internal.pusher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.app.GatewayEvents;
import dev.switchboard.server.internal.hooks.webhook.WebhookQueue;
import io.micrometer.core.instrument.MeterRegistry;
import dev.switchboard.server.internal.outbound.client.BackendClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pusher's webhooks for each app that has a URL: {@code {"time_ms", "events": [...]}} with
 * {@code channel_occupied}, {@code channel_vacated}, {@code member_added}, {@code member_removed} and
 * {@code client_event}, signed {@code X-Pusher-Key} / {@code X-Pusher-Signature} (hex HMAC-SHA256 of the body
 * under the app secret), {@code Content-Type} exactly {@code application/json} (the official libraries'
 * {@code webhook().isValid()} refuse anything else). Batched and retried by the same queue as the native
 * webhooks. Occupancy and presence events are told by exactly one node (the engine's first/last answers);
 * a client event by the node that received it.
 */
final class PusherWebhooks implements GatewayEvents, AutoCloseable {

    private final PusherApps apps;
    private final Clock clock;
    private final Map<String, WebhookQueue> queues = new LinkedHashMap<>();

    PusherWebhooks(PusherApps apps, int queueSize, int retries, Duration timeout, Clock clock, BackendClient http,
                   MeterRegistry metrics) {
        this.apps = apps;
        this.clock = clock;
        for (PusherApps.App app : apps.all()) {
            if (app.webhookUrl() != null) {
                queues.put(app.id(), new WebhookQueue("pusher:" + app.id(), app.webhookUrl(),
                        events -> envelope(app, events), queueSize, retries, timeout, http, metrics));
            }
        }
    }

    private WebhookQueue.Post envelope(PusherApps.App app, List<ObjectNode> events) {
        ObjectNode body = Json.object();
        body.put("time_ms", clock.millis());
        ArrayNode list = body.putArray("events");
        events.forEach(list::add);
        byte[] bytes = Json.bytes(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Pusher-Key", app.key());
        headers.put("X-Pusher-Signature", PusherSignatures.hmacHex(app.secret(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
        return new WebhookQueue.Post(bytes, headers);
    }

    /** Queues an event for the app owning {@code internal}, when it has a webhook URL. */
    private void offer(String internal, String name, java.util.function.Consumer<ObjectNode> fill) {
        PusherApps.App app = apps.ofChannel(internal);
        WebhookQueue queue = app == null ? null : queues.get(app.id());
        if (queue == null) {
            return;
        }
        ObjectNode e = Json.object().put("name", name).put("channel", app.external(internal));
        fill.accept(e);
        queue.offer(e);
    }

    @Override
    public void channelOccupied(String channel) {
        offer(channel, "channel_occupied", e -> { });
    }

    @Override
    public void channelVacated(String channel) {
        offer(channel, "channel_vacated", e -> { });
    }

    @Override
    public void presenceJoined(String channel, String user) {
        offer(channel, "member_added", e -> e.put("user_id", user));
    }

    @Override
    public void presenceLeft(String channel, String user) {
        offer(channel, "member_removed", e -> e.put("user_id", user));
    }

    /** A client event was sent on {@code channel} of {@code app} (told by the node that received it). */
    void clientEvent(PusherApps.App app, String channel, String event, JsonNode data, String socketId, String userId) {
        offer(app.internal(channel), "client_event", e -> {
            e.put("event", event);
            e.put("data", data == null ? "" : data.isTextual() ? data.asText() : data.toString());
            e.put("socket_id", socketId);
            if (userId != null) {
                e.put("user_id", userId);
            }
        });
    }

    @Override
    public void close() {
        queues.values().forEach(q -> q.close(Duration.ofSeconds(2)));
    }
}
