package dev.switchboard.bench.scenario;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every scenario takes: what to target, for how long, and where results go. */
public final class CommonOptions {

    /**
     * JVM settings for the gateway this tool starts, chosen by measurement (docs/benchmarks.md): G1 (the
     * default) beat ZGC and ParallelGC on fanout p99 and on deliveries per CPU-second on 2 cores; a fixed heap,
     * pre-touched at start, keeps heap growth and first-touch page faults out of the measured window (measured:
     * 8.5k against 6.2k connects per server CPU-second, and RSS growth that counts only what is not heap).
     */
    public static final List<String> DEFAULT_SERVER_JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");

    @Option(names = "--url", description = "Target a gateway that is already running (http://127.0.0.1:PORT) "
            + "instead of starting one. Loopback only.")
    URI url;

    @Option(names = "--server-pid", description = "With --url: the gateway's pid, to read its RSS.")
    Long serverPid;

    @Option(names = "--server-jar", description = "Gateway jar to start (default: server/target/switchboard.jar).")
    Path serverJar;

    @Option(names = "--server-jvm", description = "A JVM option for the started gateway (repeatable; replaces "
            + "the defaults -Xms1g -Xmx1g -XX:+AlwaysPreTouch).")
    List<String> serverJvm = new ArrayList<>();

    @Option(names = "--server-arg", description = "An argument for `switchboard run` (repeatable), e.g. "
            + "--server-arg=--engine=memory.")
    List<String> serverArgs = new ArrayList<>();

    @Option(names = "--baseline", split = ",", defaultValue = "none", paramLabel = "NAME[,NAME...]",
            description = "Also run the same load against baselines, in this order, and print ratios: node (a"
                    + " tutorial-style ws server), socketio (Socket.IO 4.8), floor (only accept, upgrade and write one"
                    + " pre-built frame per subscriber), all (the three), tls (this gateway over TLS, wss://), pusher"
                    + " (this gateway's Pusher protocol: signed triggers, /app/KEY subscribers), soketi (Soketi 1.6,"
                    + " the same Pusher load), durable-streams (the protocol's own server, for bench streams), or none"
                    + " (default: ${DEFAULT-VALUE}).")
    List<String> baseline;

    /** The baselines named by --baseline, in order, without duplicates; empty for none. */
    List<String> baselines() {
        List<String> out = new ArrayList<>();
        for (String b : baseline) {
            String name = b.trim().toLowerCase(java.util.Locale.ROOT);
            List<String> names = switch (name) {
                case "none", "" -> List.of();
                case "all" -> KNOWN_BASELINES;
                case "node", "socketio", "floor", "tls", "pusher", "soketi", "durable-streams" -> List.of(name);
                default -> throw new IllegalArgumentException("unknown baseline '" + b + "' (known: none, "
                        + String.join(", ", KNOWN_BASELINES) + ", all, tls, pusher, soketi, durable-streams)");
            };
            names.stream().filter(n -> !out.contains(n)).forEach(out::add);
        }
        return out;
    }

    static final List<String> KNOWN_BASELINES = List.of("node", "socketio", "floor");

    @Option(names = "--duration", converter = DurationConverter.class, defaultValue = "10s",
            description = "Measured time per target (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", converter = DurationConverter.class, defaultValue = "2s",
            description = "Unmeasured load before measuring, for the JIT (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--rounds", defaultValue = "1",
            description = "Run each target this many times, alternating targets, and report each target's median"
                    + " round (default: ${DEFAULT-VALUE}). Use 3+ on a machine shared with other work.")
    int rounds;

    @Option(names = "--client-threads", defaultValue = "2",
            description = "Load-client event loops (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--connect-rate", converter = RateConverter.class, defaultValue = "5000",
            description = "Connections opened per second while setting up (default: ${DEFAULT-VALUE}).")
    double connectRate;

    @Option(names = "--out", defaultValue = "bench-results",
            description = "Folder for the JSON result, the chart and server logs (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--no-chart", description = "Skip the PNG chart.")
    boolean noChart;

    /** The gateway JVM options in force. */
    List<String> serverJvmOptions() {
        return serverJvm.isEmpty() ? DEFAULT_SERVER_JVM : serverJvm;
    }
}
