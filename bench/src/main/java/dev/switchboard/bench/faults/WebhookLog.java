package dev.switchboard.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

/**
 * The backend's side of the gateways' webhooks during a fault run: every lifecycle event received, and the
 * check that each entity's events alternate as they must, exactly once each, across node deaths: a connection's
 * {@code connect}/{@code disconnect}, a channel's {@code channel_occupied}/{@code channel_vacated}, a member's
 * {@code presence_join}/{@code presence_leave}. Run after every client closed and the leases expired, so each
 * sequence must end on its closing event.
 */
final class WebhookLog implements AutoCloseable {

    /** One event as received, with when. */
    record Received(String event, String key, long atNanos) {
    }

    /** Missing and doubled events of one kind. */
    static final class Count {
        long events;
        long doubled;
        long missing;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final Queue<Received> received = new ConcurrentLinkedQueue<>();

    WebhookLog(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/events", ex -> {
            long at = System.nanoTime();
            JsonNode body = JSON.readTree(ex.getRequestBody());
            for (JsonNode e : body.path("events")) {
                String event = e.path("event").asText();
                received.add(new Received(event, keyOf(event, e), at));
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
    }

    private static String keyOf(String event, JsonNode e) {
        return switch (event) {
            case "connect", "disconnect" -> e.path("connection").asText();
            case "presence_join", "presence_leave" -> e.path("channel").asText() + " " + e.path("user").asText();
            default -> e.path("channel").asText();
        };
    }

    int received() {
        return received.size();
    }

    /**
     * Per phase (the one the anomalous event arrived in; for an entity left open, the one it opened in) and per
     * kind (connections, channels, members): events, doubled (an entity opened or closed twice in a row) and
     * missing (a first event that closes, or an entity still open after everyone left).
     */
    Map<String, Map<String, Count>> check(List<History.Phase> phases) {
        Map<String, Map<String, Count>> out = new LinkedHashMap<>();
        for (History.Phase phase : phases) {
            out.put(phase.fault(), new LinkedHashMap<>());
        }
        out.put("after the run", new LinkedHashMap<>());
        check(out, phases, "connections", "connect", "disconnect");
        check(out, phases, "channels", "channel_occupied", "channel_vacated");
        check(out, phases, "members", "presence_join", "presence_leave");
        return out;
    }

    private void check(Map<String, Map<String, Count>> out, List<History.Phase> phases, String kind, String open,
                       String close) {
        Map<String, List<Received>> byKey = new LinkedHashMap<>();
        for (Received r : received) {
            if (r.event().equals(open) || r.event().equals(close)) {
                byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
                count(out, phases, kind, r.atNanos()).events++;
            }
        }
        for (List<Received> sequence : byKey.values()) {
            String expected = open;
            Received opened = null;
            for (int i = 0; i < sequence.size(); i++) {
                Received r = sequence.get(i);
                if (r.event().equals(expected)) {
                    expected = expected.equals(open) ? close : open;
                    opened = r.event().equals(open) ? r : null;
                } else if (i == 0) {
                    count(out, phases, kind, r.atNanos()).missing++; // closed, never opened
                } else {
                    count(out, phases, kind, r.atNanos()).doubled++; // the same event twice in a row
                }
            }
            if (opened != null) {
                count(out, phases, kind, opened.atNanos()).missing++; // still open after everyone left
            }
        }
    }

    private static Count count(Map<String, Map<String, Count>> out, List<History.Phase> phases, String kind, long at) {
        String phase = phases.stream().filter(p -> p.contains(at)).map(History.Phase::fault).findFirst()
                .orElse(phases.isEmpty() || at < phases.getFirst().startNanos() ? phases.isEmpty() ? "after the run"
                        : phases.getFirst().fault() : "after the run");
        return out.get(phase).computeIfAbsent(kind, k -> new Count());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
