package dev.switchboard.bench.targets;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A loopback backend for the gateway's hooks, as cheap as a backend can be: {@code POST /rpc} answers
 * {@code {"data": <the request>}} without parsing it (so the load client's send stamp comes back), {@code POST
 * /connect} answers {@code {"user": "bench"}}. Two of them, so that a figure shows whether the gateway or the
 * backend is the limit: the JDK's {@code HttpServer} in this process (its CPU is the load client's) and Node's
 * {@code http} in its own ({@code bench/baselines/hook-backend}). Neither counts as server CPU.
 */
public abstract class HookBackend implements AutoCloseable {

    /** Which backend. */
    public enum Kind {
        JDK, NODE;

        public static Kind parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The backend's base URL, e.g. {@code http://127.0.0.1:40123}. */
    public abstract String base();

    public abstract String describe();

    @Override
    public abstract void close();

    public static HookBackend start(Kind kind, Path log) throws IOException {
        return kind == Kind.JDK ? jdk() : node(log);
    }

    private static HookBackend jdk() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        byte[] user = "{\"user\":\"bench\"}".getBytes(StandardCharsets.US_ASCII);
        server.createContext("/connect", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, user.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(user);
            }
        });
        server.createContext("/rpc", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] head = "{\"data\":".getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, head.length + body.length + 1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(head);
                out.write(body);
                out.write('}');
            }
        });
        server.start();
        return new HookBackend() {
            @Override
            public String base() {
                return "http://127.0.0.1:" + server.getAddress().getPort();
            }

            @Override
            public String describe() {
                return "loopback hook backend (JDK HttpServer, in the load client)";
            }

            @Override
            public void close() {
                server.stop(0);
            }
        };
    }

    private static HookBackend node(Path log) throws IOException {
        Path script = Repo.root().resolve("bench/baselines/hook-backend/server.js");
        ServerProcess process = ServerProcess.start("hook-backend", List.of("node", script.toAbsolutePath().toString(),
                "--host", "127.0.0.1", "--port", "0"), Map.of(), script.getParent(), log, false,
                java.time.Duration.ofSeconds(30));
        return new HookBackend() {
            @Override
            public String base() {
                String s = process.http().toString();
                return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
            }

            @Override
            public String describe() {
                return "loopback hook backend (Node http, own process)";
            }

            @Override
            public void close() {
                process.close();
            }
        };
    }
}
