package dev.switchboard.bench.targets;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * The gateway with its RPC hook pointed at a loopback backend in this process that answers every
 * {@code bench.stream} call with an NDJSON stream: {@code chunks} lines {@code {"t":<nanoTime>,"p":pad}}, one
 * every {@code intervalMs}, each stamped as it is written. The load client is in the same process, so a chunk's
 * latency is the backend's write to the client's receipt on one clock: the gateway's streaming path, plain or
 * resumable (through its stream store), between them. A Redis companion serves the Redis store.
 */
public final class StreamingHookTarget extends GatewayWithCompanion {

    public static final String TYPE = "bench.stream";

    private final HttpServer backend;
    private final RedisProcess redis;

    private StreamingHookTarget(String name, ServerProcess gateway, HttpServer backend, RedisProcess redis) {
        super(name, gateway);
        this.backend = backend;
        this.redis = redis;
    }

    /** @param redisLog where a Redis companion logs; null: the memory store */
    public static StreamingHookTarget start(String name, Path jar, List<String> jvmOptions, List<String> serverArgs,
                                            Path log, Path redisLog) throws IOException {
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        backend.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        backend.createContext("/rpc", exchange -> {
            var request = Json.parse(exchange.getRequestBody().readAllBytes()).path("data");
            int chunks = request.path("chunks").asInt(10);
            long interval = request.path("intervalMs").asLong(10) * 1_000_000;
            String pad = request.path("pad").asText("");
            exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                long due = System.nanoTime();
                for (int i = 0; i < chunks; i++) {
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait); // the pace of a model producing tokens
                    }
                    due += interval;
                    out.write(("{\"t\":" + System.nanoTime() + ",\"p\":\"" + pad + "\"}\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException e) {
                // the gateway stopped reading (a cancel, the end of the run)
            }
        });
        backend.start();
        RedisProcess redis = redisLog == null ? null : RedisProcess.start(redisLog);
        List<String> args = new ArrayList<>(serverArgs);
        args.add("--hook-rpc-url=http://127.0.0.1:" + backend.getAddress().getPort() + "/rpc");
        args.add("--hook-rpc-types=bench.*");
        args.add("--hook-concurrency=100000");
        if (redis != null) {
            args.addAll(List.of("--engine=redis", "--redis=" + redis.uri()));
        }
        try {
            return new StreamingHookTarget(name, Launchers.gateway(name, jar, jvmOptions, args, Map.of(), log), backend, redis);
        } catch (IOException | RuntimeException e) {
            backend.stop(0);
            if (redis != null) {
                redis.close();
            }
            throw e;
        }
    }

    @Override
    protected String companion() {
        return "loopback NDJSON RPC backend" + (redis == null ? "" : " + redis-server " + redis.uri());
    }

    @Override
    protected void closeCompanion() {
        backend.stop(0);
        if (redis != null) {
            redis.close();
        }
    }
}
