package dev.switchboard.server.internal.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.internal.hooks.webhook.WebhookSignature;
import dev.switchboard.server.support.HookBackend;
import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Webhooks: signed, batched, retried, and never in the way of the sockets. */
class WebhookTest {

    private static final String SECRET = "webhook-secret";

    @Test
    void aSubscriberBackWithinTheVacatedDelayCausesNeitherVacatedNorOccupied() {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        try (HookBackend backend = new HookBackend()) {
            backend.on("/events", (call, ex) -> {
                call.body().path("events").forEach(events::add);
                HookBackend.respond(ex, 204, "text/plain", "");
            });
            try (TestGateway gw = TestGateway.start(c -> {
                c.webhookUrl = backend.url("/events");
                c.webhookSecret = SECRET;
                c.webhookEvents = List.of("channel_occupied", "channel_vacated");
                c.vacatedDelay = Duration.ofMillis(1500);
            })) {
                try (WsClient tab = gw.connect("alice")) {
                    tab.call("subscribe", Map.of("channel", "chat:reload"));
                }
                try (WsClient reloaded = gw.connect("alice")) { // the reloaded tab, well within the delay
                    reloaded.call("subscribe", Map.of("channel", "chat:reload"));
                    Poll.until("the first occupied reported", Duration.ofSeconds(10), () -> names(events).size() == 1);
                    try (WsClient other = gw.connect("bob")) {
                        other.call("subscribe", Map.of("channel", "chat:other"));
                        other.call("unsubscribe", Map.of("channel", "chat:other"));
                    }
                    Poll.until("chat:other vacated after the delay", Duration.ofSeconds(10),
                            () -> names(events).contains("channel_vacated"));
                }
                assertEquals(List.of("channel_occupied", "channel_occupied", "channel_vacated"), names(events),
                        "chat:reload stayed occupied across the reload: " + events);
                assertEquals("chat:reload", events.get(0).path("channel").asText());
            }
        }
    }

    @Test
    void lifecycleEventsArriveSignedAndInOrder() {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        WebhookSignature signature = new WebhookSignature(SECRET);
        AtomicInteger badSignatures = new AtomicInteger();
        try (HookBackend backend = new HookBackend()) {
            backend.on("/events", (call, ex) -> {
                if (!signature.verify(call.raw(), call.headers().get("x-switchboard-signature"))) {
                    badSignatures.incrementAndGet();
                }
                call.body().path("events").forEach(events::add);
                HookBackend.respond(ex, 204, "text/plain", "");
            });
            try (TestGateway gw = TestGateway.start(c -> {
                c.webhookUrl = backend.url("/events");
                c.webhookSecret = SECRET;
            })) {
                try (WsClient a = gw.connect("alice"); WsClient b = gw.connect("bob")) {
                    a.call("subscribe", Map.of("channel", "chat:lobby"));
                    b.call("subscribe", Map.of("channel", "chat:lobby"));
                    a.call("unsubscribe", Map.of("channel", "chat:lobby"));
                    b.call("unsubscribe", Map.of("channel", "chat:lobby"));
                }
                Poll.until("both disconnects reported, then the vacated channel (after --vacated-delay)",
                        Duration.ofSeconds(10), () -> names(events).stream().filter("disconnect"::equals).count() == 2
                                && names(events).contains("channel_vacated"));
            }
            assertEquals(0, badSignatures.get());
            List<String> names = names(events);
            assertEquals(List.of("channel_occupied", "channel_vacated", "connect", "connect", "disconnect", "disconnect",
                    "presence_join", "presence_join", "presence_leave", "presence_leave"), names.stream().sorted().toList());
            assertEquals(List.of("connect", "connect", "channel_occupied"), names.subList(0, 3), names.toString());
            assertTrue(names.indexOf("channel_vacated") > names.indexOf("presence_join"), names.toString());
            assertTrue(names.indexOf("disconnect") > names.lastIndexOf("presence_leave"), names.toString());
            JsonNode occupied = events.get(names.indexOf("channel_occupied"));
            assertEquals("chat:lobby", occupied.path("channel").asText());
            JsonNode disconnect = events.get(names.indexOf("disconnect"));
            assertTrue(disconnect.has("duration") && disconnect.has("code"), disconnect.toString());
            assertTrue(events.stream().allMatch(e -> e.path("ts").asLong() > 0));
        }
    }

    private static List<String> names(List<JsonNode> events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.path("event").asText()));
        return out;
    }

    @Test
    void aFailingTargetIsRetriedAndAnEventIsDeliveredOnce() {
        AtomicInteger attempts = new AtomicInteger();
        List<JsonNode> delivered = new CopyOnWriteArrayList<>();
        try (HookBackend backend = new HookBackend()) {
            backend.on("/events", (call, ex) -> {
                if (attempts.incrementAndGet() <= 2) {
                    HookBackend.respond(ex, 503, "text/plain", "busy");
                } else {
                    call.body().path("events").forEach(delivered::add);
                    HookBackend.respond(ex, 200, "application/json", "{}");
                }
            });
            try (TestGateway gw = TestGateway.start(c -> {
                c.webhookUrl = backend.url("/events");
                c.webhookEvents = List.of("connect");
            }); WsClient a = gw.connect("alice")) {
                Poll.until("the connect event delivered", Duration.ofSeconds(10), () -> delivered.size() == 1);
                assertEquals("alice", delivered.get(0).path("user").asText());
                String scraped = gw.gateway().metrics().scrape();
                assertTrue(scraped.contains("switchboard_webhook_retries_total{target=\"native\"} 2.0"), scraped);
            }
        }
    }

    @Test
    void aDeadTargetDropsEventsAndCountsThemWhileSocketsCarryOn() {
        java.net.URI dead;
        try (HookBackend backend = new HookBackend()) {
            dead = backend.url("/events");
        }
        try (TestGateway gw = TestGateway.start(c -> {
            c.webhookUrl = dead;
            c.webhookRetries = 1;
            c.webhookQueue = 4;
        })) {
            List<WsClient> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                WsClient c = gw.connect("user" + i);
                assertEquals("up", c.call("echo", "up").asText());
                clients.add(c);
            }
            clients.forEach(WsClient::close);
            Poll.until("dropped events counted", Duration.ofSeconds(10), () -> {
                String scrape = gw.gateway().metrics().scrape();
                return scrape.contains("outcome=\"dropped_queue_full\"") && scrape.contains("outcome=\"dropped_failed\"")
                        && !scrape.contains("switchboard_webhook_events_total{outcome=\"dropped_failed\",target=\"native\"} 0.0");
            });
        }
    }
}
