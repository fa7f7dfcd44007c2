package dev.switchboard.server.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.schema.FrameSchema;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A real WebSocket client (the JDK's) that queues every text frame for assertions. */
public final class WsClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final List<String> skipped = new ArrayList<>();
    private volatile String closeReason;
    private volatile java.util.function.Consumer<String> tap;
    private WebSocket ws;
    /** Whether the socket speaks the native protocol (the schema's), not Pusher's. */
    private boolean nativeProtocol;
    /** The first frame the server sent that the protocol schema refuses: fails the test's next await or close. */
    private volatile AssertionError offSchema;

    public static WsClient open(URI uri) {
        return open(uri, java.util.Map.of());
    }

    /** Connects; {@code cookie} is sent as the Cookie header when not null. */
    public static WsClient open(URI uri, String cookie) {
        return open(uri, cookie == null ? java.util.Map.of() : java.util.Map.of("Cookie", cookie));
    }

    /** Connects with extra upgrade request headers. */
    public static WsClient open(URI uri, java.util.Map<String, String> headers) {
        return open(HTTP, uri, headers);
    }

    /** Connects through {@code http} (e.g. one that trusts a test CA for wss://). */
    public static WsClient open(HttpClient http, URI uri, java.util.Map<String, String> headers) {
        WsClient c = new WsClient();
        c.nativeProtocol = !uri.getPath().startsWith("/app/");
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(b::header);
        c.ws = b.buildAsync(uri, c.new Listener()).join();
        return c;
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                if (nativeProtocol && offSchema == null) {
                    try {
                        FrameSchema.serverFrame(frame);
                    } catch (AssertionError e) {
                        offSchema = e;
                    }
                }
                java.util.function.Consumer<String> t = tap;
                if (t != null) {
                    t.accept(frame); // on the socket's reader, at receipt: for latency and bulk counting
                } else {
                    frames.add(frame);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }

    /** From now on, frames go to {@code consumer} as they arrive instead of the queue that {@link #await} reads. */
    public void tap(java.util.function.Consumer<String> consumer) {
        this.tap = consumer;
    }

    public void sendText(String text) {
        ws.sendText(text, true).join();
    }

    /** Sends a frame; its envelope must be the schema's (its data may be wrong on purpose: a test of refusals). */
    public void send(Object frame) {
        JsonNode tree = Json.toTree(frame);
        if (nativeProtocol) {
            FrameSchema.clientEnvelope(tree);
        }
        sendText(Json.text(tree));
    }

    /** Sends {@code {"id","type","data"}} and returns the id. */
    public String request(String type, Object data) {
        String id = "r" + IDS.incrementAndGet();
        ObjectNode f = Json.object().put("id", id).put("type", type);
        if (data != null) {
            f.set("data", Json.toTree(data));
        }
        send(f);
        return id;
    }

    /** Sends a request and waits for its reply (failing the test on an error frame). */
    public JsonNode call(String type, Object data) {
        String id = request(type, data);
        JsonNode answer = await(f -> id.equals(f.path("re").asText(null)));
        if (!"reply".equals(answer.path("type").asText())) {
            fail("expected reply to " + type + " but got " + answer);
        }
        if (answer.get("data") != null) {
            FrameSchema.replyData(type, answer.get("data"));
        }
        return answer.get("data");
    }

    /** Sends a request and returns its error frame's code (failing when it is not an error). */
    public String callError(String type, Object data) {
        String id = request(type, data);
        JsonNode answer = await(f -> id.equals(f.path("re").asText(null)));
        assertEquals("error", answer.path("type").asText(), "expected an error for " + type + ", got " + answer);
        return answer.path("error").path("code").asText();
    }

    /** Matches frames of one type, e.g. {@code c.await(WsClient.ofType("message"))}. */
    public static Predicate<JsonNode> ofType(String type) {
        return f -> type.equals(f.path("type").asText());
    }

    /** Whether a frame is a {@code message} push. */
    public static boolean isMessage(JsonNode f) {
        return "message".equals(f.path("type").asText());
    }

    /** The next frame matching {@code match}; frames passed over are kept for later awaits. */
    public JsonNode await(Predicate<JsonNode> match) {
        return await(match, TIMEOUT);
    }

    public JsonNode await(Predicate<JsonNode> match, Duration timeout) {
        for (int i = 0; i < skipped.size(); i++) {
            JsonNode f = parse(skipped.get(i));
            if (f != null && match.test(f)) {
                skipped.remove(i);
                return f;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            assertOnSchema();
            long left = deadline - System.nanoTime();
            String text;
            try {
                text = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (text == null) {
                fail("no matching frame within " + timeout + "; unmatched: " + skipped);
            }
            JsonNode f = parse(text);
            if (f != null && match.test(f)) {
                return f;
            }
            skipped.add(text);
        }
    }

    public JsonNode awaitType(String type) {
        return await(f -> type.equals(f.path("type").asText()));
    }

    /** The next raw text frame (e.g. a bare "pong"). */
    public String awaitText(Predicate<String> match) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            String text;
            try {
                text = frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (text == null) {
                fail("no matching text frame within " + TIMEOUT);
            }
            if (match.test(text)) {
                return text;
            }
            skipped.add(text);
        }
    }

    /** Asserts that no frame matching {@code match} arrives within {@code window}. */
    public void assertNone(Predicate<JsonNode> match, Duration window) {
        long deadline = System.nanoTime() + window.toNanos();
        for (String s : skipped) {
            JsonNode f = parse(s);
            if (f != null && match.test(f)) {
                fail("unexpected frame " + f);
            }
        }
        while (System.nanoTime() < deadline) {
            String text;
            try {
                text = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (text == null) {
                return;
            }
            JsonNode f = parse(text);
            if (f != null && match.test(f)) {
                fail("unexpected frame " + f);
            }
            skipped.add(text);
        }
    }

    /** Waits for the server to close; returns the close code. */
    public int awaitClose() {
        return awaitClose(TIMEOUT);
    }

    public int awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection not closed within " + timeout);
        }
    }

    public String closeReason() {
        return closeReason;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    private static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Closes abruptly (no close handshake), like a network drop. */
    public void abort() {
        ws.abort();
    }

    /** Fails when the server sent a frame the protocol schema refuses. */
    public void assertOnSchema() {
        if (offSchema != null) {
            throw offSchema;
        }
    }

    @Override
    public void close() {
        assertOnSchema();
        if (!closed.isDone()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
            try {
                closed.get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                ws.abort();
            }
        }
    }

    /** Sends a binary frame (for the "binary is refused" test). */
    public void sendBinary(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }
}
