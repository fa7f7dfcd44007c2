package dev.switchboard.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.support.GatewayProcess;
import dev.switchboard.server.support.HookBackend;
import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.RedisServerProcess;
import dev.switchboard.server.support.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lifecycle events when the node holding the connections dies: node A alone has a user connected and a channel's
 * only subscriber, and is killed with kill -9. Node B, which never saw that user or channel, announces within
 * the presence TTL the connection's {@code disconnect} (reason {@code node_lost}), the user's
 * {@code presence_leave} and the {@code channel_vacated}: each exactly once, and nothing more afterwards.
 */
@Tag("multi-process")
@Timeout(120)
class NodeDeathLifecycleTest {

    private static final String SECRET = "lifecycle-test-secret-lifecycle-test-secret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Nodes a and b on one Redis, both posting their webhooks to one backend that records them. */
    private static final class TwoNodes implements AutoCloseable {
        final List<JsonNode> events = new CopyOnWriteArrayList<>();
        final HookBackend backend = new HookBackend();
        final RedisServerProcess redis = RedisServerProcess.start();
        final GatewayProcess a;
        final GatewayProcess b;

        TwoNodes() throws Exception {
            backend.on("/events", (call, ex) -> {
                call.body().path("events").forEach(e -> events.add(((com.fasterxml.jackson.databind.node.ObjectNode) e)
                        .put("node", call.body().path("node").asText())));
                HookBackend.respond(ex, 204, "text/plain", "");
            });
            String[] opts = {"--engine", "redis", "--redis", redis.uri(), "--presence-ttl", "2s",
                    "--webhook-url", backend.url("/events").toString(), "--webhook-secret", "s"};
            a = GatewayProcess.start("a", SECRET, opts);
            b = GatewayProcess.start("b", SECRET, opts);
        }

        /** ann on node a, alone in {@code channel}, once the join side was told. */
        WsClient annOnA(String channel) throws Exception {
            WsClient ann = connect(a, "ann");
            ann.call("subscribe", Map.of("channel", channel));
            Poll.until("ann's connect, join and the occupied channel", Duration.ofSeconds(10),
                    () -> names(events).containsAll(List.of("connect", "presence_join", "channel_occupied")));
            return ann;
        }

        @Override
        public void close() {
            a.close();
            b.close();
            redis.close();
            backend.close();
        }
    }

    @Test
    void theSurvivorAnnouncesADeadNodesDisconnectsLeavesAndVacatedChannelsExactlyOnce() throws Exception {
        try (TwoNodes nodes = new TwoNodes()) {
            List<JsonNode> events = nodes.events;
            WsClient ann = nodes.annOnA("chat:solo");
            String connection = event(events, "connect").path("connection").asText();

            nodes.a.kill9();
            Poll.until("b announces what a can no longer say", Duration.ofSeconds(20),
                    () -> names(events).containsAll(List.of("disconnect", "presence_leave", "channel_vacated")));
            Thread.sleep(5_000); // two more TTLs and sweeps: nothing may be announced twice
            assertEquals(List.of("connect", "presence_join", "channel_occupied", "disconnect", "presence_leave",
                    "channel_vacated"), sorted(names(events)), events.toString());
            for (JsonNode e : events.subList(3, events.size())) {
                assertEquals("b", e.path("node").asText(), "told by the survivor: " + e);
            }
            JsonNode disconnect = event(events, "disconnect");
            assertEquals(connection, disconnect.path("connection").asText());
            assertEquals("ann", disconnect.path("user").asText());
            assertEquals("node_lost", disconnect.path("reason").asText());
            assertEquals("chat:solo", event(events, "channel_vacated").path("channel").asText());
            assertEquals("ann", event(events, "presence_leave").path("user").asText());
            ann.abort();
        }
    }

    /**
     * A node paused past the TTL is taken for dead (the survivor announces the leave-side events), and when it
     * resumes and renews what it holds, it announces the join side again: every entity's events keep alternating.
     */
    @Test
    void aPausedNodeThatComesBackAnnouncesItsConnectionsAgainSoEventsAlternate() throws Exception {
        try (TwoNodes nodes = new TwoNodes()) {
            List<JsonNode> events = nodes.events;
            WsClient ann = nodes.annOnA("chat:paused");
            signal(nodes.a.pid(), "STOP");
            try {
                Poll.until("the survivor's leave side", Duration.ofSeconds(20),
                        () -> names(events).containsAll(List.of("disconnect", "presence_leave", "channel_vacated")));
            } finally {
                signal(nodes.a.pid(), "CONT");
            }
            Poll.until("the join side again, from the resumed node", Duration.ofSeconds(20), () -> events.size() >= 9);
            Thread.sleep(3_000); // nothing more may follow
            for (String[] pair : new String[][] {{"connect", "disconnect"}, {"presence_join", "presence_leave"},
                    {"channel_occupied", "channel_vacated"}}) {
                List<String> sequence = names(events).stream().filter(n -> n.equals(pair[0]) || n.equals(pair[1])).toList();
                assertEquals(List.of(pair[0], pair[1], pair[0]), sequence, events.toString());
            }
            ann.abort();
        }
    }

    private static void signal(long pid, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
    }

    private static WsClient connect(GatewayProcess node, String user) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                + "/auth/token?user=" + user)).build(), HttpResponse.BodyHandlers.ofString());
        String token = Json.parse(r.body()).get("token").asText();
        WsClient ws = WsClient.open(URI.create("ws://127.0.0.1:" + node.port() + "/ws?token=" + token));
        ws.awaitType("welcome");
        return ws;
    }

    private static List<String> names(List<JsonNode> events) {
        return events.stream().map(e -> e.path("event").asText()).toList();
    }

    /** The order of the first three and of the last three is theirs to choose; each half is compared sorted. */
    private static List<String> sorted(List<String> names) {
        if (names.size() < 3) {
            return names;
        }
        List<String> out = new java.util.ArrayList<>(names.subList(0, 3).stream().sorted(
                java.util.Comparator.comparing(List.of("connect", "presence_join", "channel_occupied")::indexOf)).toList());
        out.addAll(names.subList(3, names.size()).stream().sorted(java.util.Comparator.comparing(
                n -> List.of("disconnect", "presence_leave", "channel_vacated").indexOf(n))).toList());
        return out;
    }

    private static JsonNode event(List<JsonNode> events, String name) {
        return events.stream().filter(e -> e.path("event").asText().equals(name)).findFirst().orElseThrow();
    }
}
