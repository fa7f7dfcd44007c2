package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.targets.Launchers;
import dev.switchboard.bench.targets.LoadBalancer;
import dev.switchboard.bench.targets.RedisProcess;
import dev.switchboard.bench.targets.Repo;
import dev.switchboard.bench.targets.ServerProcess;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.DevTickets;
import dev.switchboard.client.SwitchboardClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A rolling restart under load, measured: three gateway nodes on one Redis behind a load balancer that follows
 * their {@code /readyz}, SDK clients subscribed with recovery, publications flowing through the HTTP API, and
 * each node restarted in turn (SIGTERM, a new process). Run twice in one invocation: with the shutdown delay
 * and spread ({@code --shutdown-delay}, {@code --shutdown-spread}), and with an immediate close; it reports
 * messages lost (must be 0), duplicates, reconnect time p50/p99, and the peak of new connections per second
 * that the surviving nodes took.
 */
@Command(name = "rolling", mixinStandardHelpOptions = true,
        description = "Rolling restart of 3 nodes on Redis under load: lost messages, reconnect times, reconnect peaks.")
public final class RollingScenario implements Callable<Integer> {

    static final String SECRET = "rolling-bench-secret-rolling-bench-!!";

    @Option(names = "--clients", defaultValue = "3000", description = "SDK clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--channels", defaultValue = "30", description = "Channels they spread over (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--rate", defaultValue = "50", description = "Publications per second over all channels (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--shutdown-delay", converter = DurationConverter.class, defaultValue = "2s",
            description = "The nodes' --shutdown-delay in the spread run (default: ${DEFAULT-VALUE}).")
    Duration shutdownDelay;

    @Option(names = "--shutdown-spread", converter = DurationConverter.class, defaultValue = "5s",
            description = "The nodes' --shutdown-spread in the spread run (default: ${DEFAULT-VALUE}).")
    Duration shutdownSpread;

    @Option(names = "--modes", split = ",", defaultValue = "spread,immediate",
            description = "Runs to make: spread (delay and spread), immediate (close at once) (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--settle", converter = DurationConverter.class, defaultValue = "3s",
            description = "Pause after every client is back, before the next node restarts (default: ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--server-jar", description = "Gateway jar (default: server/target/switchboard.jar).")
    Path serverJar;

    @Option(names = "--server-jvm", description = "A JVM option of the nodes (repeatable; default: -Xmx512m).")
    List<String> serverJvm = new ArrayList<>(List.of("-Xmx512m"));

    @Option(names = "--out", defaultValue = "bench-results", description = "Folder for the JSON result and logs (default: ${DEFAULT-VALUE}).")
    Path out;

    private static final int NODES = 3;

    @Override
    public Integer call() throws Exception {
        Path dir = out.toAbsolutePath();
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode report = json.createObjectNode();
        report.put("clients", clients).put("channels", channels).put("rate", rate).put("nodes", NODES)
                .put("shutdownDelay", shutdownDelay.toString()).put("shutdownSpread", shutdownSpread.toString());
        ArrayNode runs = report.putArray("runs");
        boolean clean = true;
        for (String mode : modes) {
            if (!mode.equals("spread") && !mode.equals("immediate")) {
                throw new IllegalArgumentException("--modes takes spread and immediate, not " + mode);
            }
            ObjectNode run = runs.addObject().put("mode", mode);
            clean &= restartEachNode(mode, dir, run);
        }
        Path file = dir.resolve("rolling-" + System.currentTimeMillis() + ".json");
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
        System.out.println("JSON: " + file);
        return clean ? 0 : 1;
    }

    private List<String> nodeArgs(String mode, String redis, int index) {
        Duration delay = mode.equals("spread") ? shutdownDelay : Duration.ZERO;
        Duration spread = mode.equals("spread") ? shutdownSpread : Duration.ZERO;
        return List.of("--engine=redis", "--redis=" + redis, "--token-secret=" + SECRET, "--node-id=node" + index,
                "--history-size=100000", "--history-ttl=1h", "--shutdown-delay=" + delay.toMillis() + "ms",
                "--shutdown-spread=" + spread.toMillis() + "ms", "--drain-timeout=20s");
    }

    /** One run: start the cluster and the clients, restart every node in turn, count. */
    private boolean restartEachNode(String mode, Path dir, ObjectNode run) throws Exception {
        Path jar = serverJar != null ? serverJar : Repo.gatewayJar();
        List<ServerProcess> nodes = new ArrayList<>();
        try (RedisProcess redis = RedisProcess.start(dir.resolve("rolling-redis.log"))) {
            for (int i = 0; i < NODES; i++) {
                nodes.add(Launchers.gateway("node" + i, jar, serverJvm, nodeArgs(mode, redis.uri(), i),
                        java.util.Map.of(), dir.resolve("rolling-" + mode + "-node" + i + ".log")));
            }
            try (LoadBalancer lb = new LoadBalancer(nodes.stream().map(n -> n.http().getPort()).toList());
                 RollingLoad load = new RollingLoad(lb.port(), clients, channels, rate)) {
                String base = "http://127.0.0.1:" + lb.port();
                load.connect(c -> SwitchboardClient.builder().url("ws://127.0.0.1:" + lb.port() + "/ws")
                        .tokenSupplier(DevTickets.forUser(base, "rolling-" + c))
                        .reconnect(Duration.ofMillis(200), Duration.ofSeconds(5), 2));
                System.err.printf(Locale.ROOT, "rolling (%s): %d clients on %d channels through the balancer, %d"
                        + " publications/s%n", mode, clients, channels, rate);
                load.startPublishing(base);
                ArrayNode restarts = run.putArray("restarts");
                for (int i = 0; i < NODES; i++) {
                    long from = lb.second();
                    long t0 = System.nanoTime();
                    nodes.get(i).close(); // SIGTERM: the node drains as configured, then exits
                    ServerProcess fresh = Launchers.gateway("node" + i, jar, serverJvm,
                            nodeArgs(mode, redis.uri(), i), java.util.Map.of(),
                            dir.resolve("rolling-" + mode + "-node" + i + "-restarted.log"));
                    nodes.set(i, fresh);
                    lb.replace(i, fresh.http().getPort());
                    boolean back = load.awaitAllConnected(Duration.ofSeconds(60));
                    long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
                    restarts.addObject().put("node", i).put("seconds", seconds).put("all_back", back)
                            .put("peak_reconnects_per_s_on_others", lb.peakPerSecond(i, from, lb.second() + 1));
                    Thread.sleep(settle.toMillis()); // the load runs on: publications between restarts count too
                }
                load.stopPublishing();
                Thread.sleep(3_000); // the last recoveries land before counting
                RollingLoad.Outcome o = load.outcome();
                Histogram reconnect = o.reconnectMillis();
                long peak = 0;
                for (var r : restarts) {
                    peak = Math.max(peak, r.path("peak_reconnects_per_s_on_others").asLong());
                }
                run.put("published", o.published()).put("refused", o.refused()).put("lost", o.lost())
                        .put("duplicates", o.duplicates()).put("recovery_failures", o.recoveryFailures())
                        .put("reconnects", reconnect.getTotalCount())
                        .put("reconnect_p50_ms", reconnect.getValueAtPercentile(50))
                        .put("reconnect_p99_ms", reconnect.getValueAtPercentile(99))
                        .put("reconnect_max_ms", reconnect.getMaxValue())
                        .put("peak_reconnects_per_s", peak);
                System.out.printf(Locale.ROOT, "rolling (%s): %d published (%d refused), lost %d, duplicates %d, recovery"
                                + " failures %d; %d reconnects p50 %d ms p99 %d ms max %d ms; peak %d new connections/s"
                                + " on the surviving nodes%n", mode, o.published(), o.refused(), o.lost(),
                        o.duplicates(), o.recoveryFailures(), reconnect.getTotalCount(),
                        reconnect.getValueAtPercentile(50), reconnect.getValueAtPercentile(99), reconnect.getMaxValue(),
                        peak);
                return o.lost() == 0 && o.duplicates() == 0;
            } finally {
                nodes.forEach(ServerProcess::close);
            }
        }
    }

    static boolean connected(SwitchboardClient c) {
        return c.state() == ConnectionState.CONNECTED;
    }

    static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
