package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.metrics.ServerMemory;
import dev.switchboard.bench.targets.CutProxy;
import dev.switchboard.bench.targets.Launchers;
import dev.switchboard.bench.targets.RedisProcess;
import dev.switchboard.bench.targets.Repo;
import dev.switchboard.bench.targets.ServerProcess;
import dev.switchboard.client.DevTickets;
import dev.switchboard.client.Message;
import dev.switchboard.client.SubscribeResult;
import dev.switchboard.client.SubscriptionListener;
import dev.switchboard.client.SwitchboardClient;
import java.io.File;
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
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A bounded soak on loopback: a gateway on a persistent Redis, SDK clients (reconnecting with recovery)
 * subscribed through a proxy that keeps cutting a share of their connections, a publisher on the HTTP API,
 * Redis restarted periodically. It samples the gateway's RSS, heap, direct memory and file descriptors, and
 * at the end counts, per client, publications that were accepted (HTTP 200) after it subscribed but never
 * reached it (lost; expected 0) or reached it twice. Stops by itself after {@code --duration}.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Bounded soak: churn, reconnects with recovery, Redis restarts; RSS/heap/fds over time and messages lost.")
public final class SoakCommand implements Callable<Integer> {

    @Option(names = "--duration", converter = DurationConverter.class, defaultValue = "30m",
            description = "How long (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--clients", defaultValue = "200", description = "SDK clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--channels", defaultValue = "20", description = "Channels they spread over (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--rate", defaultValue = "100", description = "Publications per second over all channels (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--churn-every", converter = DurationConverter.class, defaultValue = "10s",
            description = "How often connections are cut (default: ${DEFAULT-VALUE}).")
    Duration churnEvery;

    @Option(names = "--churn-fraction", defaultValue = "0.05", description = "Share of connections cut each time (default: ${DEFAULT-VALUE}).")
    double churnFraction;

    @Option(names = "--redis-restart-every", converter = DurationConverter.class, defaultValue = "5m",
            description = "How often Redis is restarted (default: ${DEFAULT-VALUE}).")
    Duration redisRestartEvery;

    @Option(names = "--sample-every", converter = DurationConverter.class, defaultValue = "30s",
            description = "How often the gateway's memory and files are sampled (default: ${DEFAULT-VALUE}).")
    Duration sampleEvery;

    @Option(names = "--server-jar", description = "Gateway jar (default: server/target/switchboard.jar).")
    Path serverJar;

    @Option(names = "--out", defaultValue = "bench-results", description = "Folder for the JSON result and logs (default: ${DEFAULT-VALUE}).")
    Path out;

    /** What one client saw on its channel. */
    private static final class Seen implements SubscriptionListener {
        final String channel;
        final Set<Long> ns = ConcurrentHashMap.newKeySet();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong recoveryFailures = new AtomicLong();
        volatile long firstN = -1;

        Seen(String channel) {
            this.channel = channel;
        }

        @Override
        public void onMessage(Message m) {
            long n = m.data().path("n").asLong();
            if (!ns.add(n)) {
                duplicates.incrementAndGet();
            }
        }

        @Override
        public void onRecoveryFailed(SubscribeResult result) {
            recoveryFailures.incrementAndGet();
        }
    }

    @Override
    public Integer call() throws Exception {
        Path dir = out.toAbsolutePath();
        Files.createDirectories(dir);
        Path jar = serverJar != null ? serverJar : Repo.gatewayJar();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ObjectMapper json = new ObjectMapper();
        ObjectNode report = json.createObjectNode();
        ArrayNode samples = report.putArray("samples");
        try (RedisProcess redis = RedisProcess.start(dir.resolve("soak-redis.log"), true);
             ServerProcess gw = Launchers.gateway("soak", jar, List.of("-Xmx512m"),
                     List.of("--engine=redis", "--redis=" + redis.uri(), "--history-size=100000", "--history-ttl=1h",
                             "--redis-timeout=1s"), Map.of(), dir.resolve("soak-gateway.log"));
             CutProxy proxy = new CutProxy(gw.http().getPort())) {
            String base = gw.http().toString();
            // published n per channel, accepted by the gateway (HTTP 200), in order
            List<Set<Long>> accepted = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                accepted.add(ConcurrentHashMap.newKeySet());
            }
            List<SwitchboardClient> sdk = new ArrayList<>();
            List<Seen> seen = new ArrayList<>();
            AtomicLong nextN = new AtomicLong();
            for (int i = 0; i < clients; i++) {
                String channel = "soak:" + (i % channels);
                Seen s = new Seen(channel);
                SwitchboardClient c = SwitchboardClient.builder().url("ws://127.0.0.1:" + proxy.port() + "/ws")
                        .tokenSupplier(DevTickets.forUser(base, "soak-" + i)).reconnect(Duration.ofMillis(100), Duration.ofSeconds(3), 2)
                        .build();
                c.connect().get(30, TimeUnit.SECONDS);
                c.subscribe(channel, s).ready().get(30, TimeUnit.SECONDS);
                s.firstN = nextN.get(); // publications from here on must all arrive
                sdk.add(c);
                seen.add(s);
            }
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long nextSample = start;
            long nextChurn = start + churnEvery.toNanos();
            long nextRestart = start + redisRestartEvery.toNanos();
            long cuts = 0;
            int restarts = 0;
            long refused = 0;
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate);
            long due = start;
            System.err.printf("soak: %d clients on %d channels, %d publications/s, for %s (gateway %s)%n",
                    clients, channels, rate, duration, base);
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (now >= nextSample) {
                    nextSample += sampleEvery.toNanos();
                    ServerMemory mem = ServerMemory.read(gw);
                    long fds = openFiles(gw.pid().orElse(-1));
                    ObjectNode row = samples.addObject();
                    row.put("elapsed_s", (now - start) / 1_000_000_000L).put("rss_mib", mem.rss() >> 20)
                            .put("heap_mib", mem.heap() >> 20).put("direct_mib", mem.direct() >> 20).put("fds", fds)
                            .put("published", nextN.get()).put("cuts", cuts).put("redis_restarts", restarts);
                    System.err.println("soak " + row);
                }
                if (now >= nextChurn) {
                    nextChurn += churnEvery.toNanos();
                    cuts += proxy.cut(churnFraction);
                }
                if (now >= nextRestart) {
                    nextRestart += redisRestartEvery.toNanos();
                    redis.restart();
                    restarts++;
                }
                if (now >= due) {
                    due += intervalNanos;
                    long n = nextN.getAndIncrement();
                    int channel = (int) (n % channels);
                    String body = "{\"channel\":\"soak:" + channel + "\",\"data\":{\"n\":" + n + "}}";
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/publish"))
                            .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer dev-api-key")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        accepted.get(channel).add(n);
                    } else {
                        refused++; // Redis restarting: the publisher was told, nothing is owed to subscribers
                    }
                } else {
                    Thread.sleep(1); // pacing the publisher; nothing waits on this
                }
            }
            Thread.sleep(5_000); // let the last reconnects recover before counting
            long lost = 0;
            long duplicates = 0;
            long recoveryFailures = 0;
            ArrayNode examples = report.putArray("lost_examples");
            for (int i = 0; i < seen.size(); i++) {
                Seen s = seen.get(i);
                int channel = Integer.parseInt(s.channel.substring("soak:".length()));
                for (long n : accepted.get(channel)) {
                    if (n >= s.firstN && !s.ns.contains(n)) {
                        lost++;
                        if (examples.size() < 30) {
                            examples.add("client " + i + " n " + n);
                        }
                    }
                }
                duplicates += s.duplicates.get();
                recoveryFailures += s.recoveryFailures.get();
            }
            sdk.forEach(SwitchboardClient::close);
            report.put("duration", duration.toString()).put("clients", clients).put("channels", channels)
                    .put("rate", rate).put("published", nextN.get()).put("refused_during_redis_restarts", refused)
                    .put("cuts", cuts).put("redis_restarts", restarts).put("lost", lost).put("duplicates", duplicates)
                    .put("recovery_failures", recoveryFailures);
            Path file = dir.resolve("soak-" + System.currentTimeMillis() + ".json");
            json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
            System.out.printf(Locale.ROOT, "soak: %d publications (%d refused while Redis restarted), %d connections cut,"
                            + " %d Redis restarts; lost %d, duplicates %d, recovery failures %d%nJSON: %s%n",
                    nextN.get(), refused, cuts, restarts, lost, duplicates, recoveryFailures, file);
            return lost == 0 && duplicates == 0 ? 0 : 1;
        }
    }

    private static long openFiles(long pid) {
        String[] fds = new File("/proc/" + pid + "/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
