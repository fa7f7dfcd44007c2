package dev.switchboard.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.schema.FrameSchema;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A Server-Sent Events client for tests, reading {@code GET /sse} as the spec's parser does (id, data, comment
 * lines; a blank line ends an event), and sending envelopes with {@code POST /sse/{connection}}.
 */
public final class SseClient implements AutoCloseable {

    /** One event: its id (null when it set none) and its data parsed as JSON. */
    public record Event(String id, JsonNode data) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final String base;
    private final HttpResponse<InputStream> response;
    private final Thread reader;
    private volatile boolean ended;
    private volatile String lastId;
    private String connection;
    private String key;

    private SseClient(String base, HttpResponse<InputStream> response) {
        this.base = base;
        this.response = response;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    /** Opens {@code base + pathAndQuery} (with {@code Last-Event-ID} when not null); any status is returned. */
    public static SseClient open(String base, String pathAndQuery, String lastEventId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET()
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        try {
            return new SseClient(base, HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    private void read() {
        if (response.statusCode() != 200) {
            ended = true;
            return;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        if (id != null) {
                            lastId = id;
                        }
                        String text = data.toString();
                        // the bare heartbeat answer "pong" is the one event that is not JSON
                        events.add(new Event(id, text.startsWith("{") ? Json.parse(text)
                                : com.fasterxml.jackson.databind.node.TextNode.valueOf(text)));
                    }
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (Exception e) {
            // the stream was cut: ended says so
        } finally {
            ended = true;
        }
    }

    /** The next event matching {@code match} (earlier ones are dropped). */
    public Event await(Predicate<JsonNode> match) {
        return await(match, WsClient.TIMEOUT);
    }

    public Event await(Predicate<JsonNode> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Event e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    throw new AssertionError("no matching event within " + timeout + (ended ? " (stream ended)" : ""));
                }
                if (e.data().isObject()) {
                    FrameSchema.serverFrame(Json.text(e.data())); // the SSE transport carries the same frames
                }
                if (match.test(e.data())) {
                    return e;
                }
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public Event awaitType(String type) {
        return await(f -> type.equals(f.path("type").asText()));
    }

    /** Reads the stream's first event (connection id and key for POSTs). */
    public SseClient handshake() {
        Event first = awaitType("stream");
        connection = first.data().get("connection").asText();
        key = first.data().get("key").asText();
        return this;
    }

    public String connectionId() {
        return connection;
    }

    /** POSTs one envelope; returns the status. */
    public int post(Object envelope) {
        return postWithKey(Json.text(envelope), key);
    }

    public int postWithKey(String body, String withKey) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/sse/" + connection))
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (withKey != null) {
                b.header("X-Stream-Key", withKey);
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a request envelope and waits for its reply's data. */
    public JsonNode call(String id, String type, Map<String, ?> data) {
        int status = post(Map.of("id", id, "type", type, "data", data));
        if (status != 202) {
            throw new AssertionError("POST answered " + status);
        }
        return await(f -> id.equals(f.path("re").asText()) && "reply".equals(f.path("type").asText())).data().get("data");
    }

    public String lastId() {
        return lastId;
    }

    public int comments() {
        return comments.get();
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (Exception e) {
            // closing a cut stream
        }
        reader.interrupt();
    }
}
