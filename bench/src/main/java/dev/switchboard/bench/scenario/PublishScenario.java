package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.metrics.ProcessCpu;
import dev.switchboard.bench.targets.Launchers;
import dev.switchboard.bench.targets.RedisProcess;
import dev.switchboard.bench.targets.Repo;
import dev.switchboard.bench.targets.ServerProcess;
import dev.switchboard.client.DevTickets;
import dev.switchboard.client.SwitchboardClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench publish}: how fast a backend can publish, in one run against one gateway: single
 * {@code POST /api/publish} requests over keep-alive connections (the baseline), {@code POST /api/publish/batch}
 * with {@code --batch} publications per request, and WebSocket publishes from SDK clients; each closed-loop with
 * {@code --concurrency} requests in flight for {@code --duration}. Reports publications/s and the gateway's CPU
 * per publication, and each mode's ratio to single requests.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publishes/s and server CPU per publish: single HTTP publishes, batches, WebSocket publishes.")
public final class PublishScenario implements Callable<Integer> {

    @Option(names = "--duration", converter = DurationConverter.class, defaultValue = "10s",
            description = "Measured time per mode (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", converter = DurationConverter.class, defaultValue = "3s",
            description = "Unmeasured time before each mode (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--concurrency", defaultValue = "32", description = "Requests in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--batch", defaultValue = "100", description = "Publications per batch request (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--channels", defaultValue = "16", description = "Channels published to, round robin (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--idempotency-keys", description = "Give every publication its own idempotency key, as a backend that"
            + " retries would: what remembering (and bounding) the keys costs.")
    boolean idempotencyKeys;

    @Option(names = "--engine", defaultValue = "memory",
            description = "memory, or redis (a redis-server this tool starts on loopback) (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--server-jar", description = "Gateway jar (default: server/target/switchboard.jar).")
    Path serverJar;

    @Option(names = "--server-jvm", description = "JVM option for the gateway (repeatable).")
    List<String> serverJvm = new ArrayList<>();

    @Option(names = "--out", defaultValue = "bench-results", description = "Folder for the JSON result (default: ${DEFAULT-VALUE}).")
    Path out;

    private final AtomicLong next = new AtomicLong();
    private Path jsonFile;

    /** One mode's result. */
    record Row(String mode, long published, double seconds, double serverCpuSeconds) {
        double perSecond() {
            return published / seconds;
        }

        double cpuMicrosPerPublish() {
            return serverCpuSeconds * 1e6 / Math.max(1, published);
        }
    }

    @Override
    public Integer call() throws Exception {
        Path jar = serverJar != null ? serverJar : Repo.gatewayJar();
        Files.createDirectories(out);
        List<Row> rows = new ArrayList<>();
        if (!engine.equals("memory") && !engine.equals("redis")) {
            throw new IllegalArgumentException("--engine is memory or redis, not " + engine);
        }
        try (RedisProcess redis = engine.equals("redis") ? RedisProcess.start(out.resolve("publish-redis.log")) : null;
             ServerProcess gw = Launchers.gateway("publish", jar, serverJvm,
                     redis == null ? List.of() : List.of("--engine=redis", "--redis=" + redis.uri()), Map.of(),
                     out.resolve("publish-gateway.log"))) {
            URI base = gw.http();
            long pid = gw.pid().orElseThrow();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            rows.add(measure("http single", pid, () -> post(http, base, "/api/publish", body(next.getAndIncrement())), 1));
            rows.add(measure("http batch of " + batch, pid, () -> post(http, base, "/api/publish/batch", batchBody()), batch));
            SwitchboardClient ws = SwitchboardClient.builder().url(base.toString().replace("http://", "ws://") + "/ws")
                    .tokenSupplier(DevTickets.forUser(base.toString(), "bench-publisher")).build();
            ws.connect().get(30, TimeUnit.SECONDS);
            rows.add(measure(idempotencyKeys ? "websocket (no keys)" : "websocket", pid, () -> ws.publish(channel(next.getAndIncrement()), Map.of("n", 1))
                    .thenApply(p -> null), 1));
            ws.close();
            http.close();
        }
        report(rows);
        return 0;
    }

    /** Runs {@code send} closed-loop with {@link #concurrency} in flight: warm-up, then the measured window. */
    private Row measure(String mode, long pid, java.util.function.Supplier<CompletableFuture<?>> send, int perSend)
            throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long warmEnd = System.nanoTime() + warmup.toNanos();
        long end = warmEnd + duration.toNanos();
        long countedFrom = -1;
        double cpuFrom = 0;
        while (System.nanoTime() < end) {
            if (countedFrom < 0 && System.nanoTime() >= warmEnd) {
                countedFrom = done.get();
                cpuFrom = ProcessCpu.seconds(pid);
            }
            slots.acquire();
            send.get().whenComplete((v, e) -> {
                if (e == null) {
                    done.addAndGet(perSend);
                } else {
                    failed.incrementAndGet();
                }
                slots.release();
            });
        }
        long published = done.get() - Math.max(0, countedFrom);
        double cpu = ProcessCpu.seconds(pid) - cpuFrom;
        slots.acquire(concurrency); // the last ones in flight
        if (failed.get() > 0) {
            System.err.printf("publish: %s: %d requests failed%n", mode, failed.get());
        }
        return new Row(mode, published, duration.toNanos() / 1e9, cpu);
    }

    private CompletableFuture<?> post(HttpClient http, URI base, String path, String body) {
        return http.sendAsync(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer dev-api-key")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .thenApply(r -> {
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(path + " answered " + r.statusCode());
                    }
                    return null;
                });
    }

    private String channel(long n) {
        return "bench:" + (n % channels);
    }

    private String body(long n) {
        String key = idempotencyKeys ? ",\"idempotencyKey\":\"bench-" + n + "\"" : "";
        return "{\"channel\":\"" + channel(n) + "\",\"data\":{\"n\":" + n + "}" + key + "}";
    }

    private String batchBody() {
        StringBuilder b = new StringBuilder("{\"publications\":[");
        for (int i = 0; i < batch; i++) {
            b.append(i == 0 ? "" : ",").append(body(next.getAndIncrement()));
        }
        return b.append("]}").toString();
    }

    private void report(List<Row> rows) throws java.io.IOException {
        Row base = rows.getFirst();
        ObjectMapper json = new ObjectMapper();
        ObjectNode result = json.createObjectNode().put("engine", engine).put("concurrency", concurrency).put("batch", batch)
                .put("duration_s", duration.toSeconds()).put("idempotency_keys", idempotencyKeys);
        ArrayNode list = result.putArray("modes");
        System.out.println("| mode | publications/s | × single | gateway CPU µs per publication | × single |");
        System.out.println("|---|--:|--:|--:|--:|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.1f | %.2f |%n", r.mode(), r.perSecond(),
                    r.perSecond() / base.perSecond(), r.cpuMicrosPerPublish(), r.cpuMicrosPerPublish() / base.cpuMicrosPerPublish());
            list.addObject().put("mode", r.mode()).put("published", r.published()).put("per_second", r.perSecond())
                    .put("server_cpu_us_per_publication", r.cpuMicrosPerPublish());
        }
        jsonFile = out.resolve("publish-" + System.currentTimeMillis() + ".json");
        json.writerWithDefaultPrettyPrinter().writeValue(jsonFile.toFile(), result);
        System.out.println("JSON: " + jsonFile);
    }

    /** The JSON written by the last run (tests). */
    public Path jsonFile() {
        return jsonFile;
    }
}
