package dev.switchboard.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.schema.FrameSchema;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A backend for hook tests: a real HTTP server on a loopback port whose routes the test programs, and which
 * records every request it got (body and headers) per path.
 */
public final class HookBackend implements AutoCloseable {

    /** One received request. */
    public record Call(String path, JsonNode body, byte[] raw, Map<String, String> headers) {
    }

    /** A route's behaviour. */
    @FunctionalInterface
    public interface Route {
        void handle(Call call, HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final Map<String, BlockingQueue<Call>> calls = new ConcurrentHashMap<>();

    public HookBackend() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Serves {@code path} with {@code route}. */
    public HookBackend on(String path, Route route) {
        server.createContext(path, exchange -> {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body;
            try {
                body = raw.length == 0 ? null : Json.parse(raw);
            } catch (RuntimeException e) {
                body = null;
            }
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            Call call = new Call(path, body, raw, headers);
            checkSchema(call);
            queue(path).add(call);
            try {
                route.handle(call, exchange);
            } finally {
                exchange.close();
            }
        });
        return this;
    }

    /** Answers every call of {@code path} with {@code json} (200). */
    public HookBackend json(String path, String json) {
        return on(path, (call, ex) -> respond(ex, 200, "application/json", json));
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The protocol schema's definition of each hook's request body, by the X-Switchboard-Hook header. */
    private static final Map<String, String> HOOK_REQUESTS = Map.of("connect", "HookConnectRequest",
            "refresh", "HookRefreshRequest", "subscribe", "HookChannelRequest", "publish", "HookChannelRequest",
            "rpc", "HookRpcRequest");
    /** The first hook request the schema refuses: fails the test's next {@link #next} or {@link #close}. */
    private volatile AssertionError offSchema;

    private void checkSchema(Call call) {
        String definition = HOOK_REQUESTS.get(call.headers().getOrDefault("x-switchboard-hook", ""));
        if (definition != null && call.body() != null && offSchema == null) {
            try {
                FrameSchema.hook(definition, call.body());
            } catch (AssertionError e) {
                offSchema = e;
            }
        }
    }

    /** The next call of {@code path}, waiting up to 5 s. */
    public Call next(String path) {
        if (offSchema != null) {
            throw offSchema;
        }
        try {
            Call c = queue(path).poll(5, TimeUnit.SECONDS);
            if (c == null) {
                throw new AssertionError("no call of " + path + " within 5 s");
            }
            return c;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Calls of {@code path} received and not yet taken. */
    public int pending(String path) {
        return queue(path).size();
    }

    private BlockingQueue<Call> queue(String path) {
        return calls.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
    }

    public static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Starts a streamed (chunked) answer; write with {@link #writeLine}. */
    public static OutputStream stream(HttpExchange ex, String contentType) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(200, 0);
        return ex.getResponseBody();
    }

    public static void writeLine(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // the backend being slow is the behaviour under test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        if (offSchema != null) {
            throw offSchema;
        }
    }
}
