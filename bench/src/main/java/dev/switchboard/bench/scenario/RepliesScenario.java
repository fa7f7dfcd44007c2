package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.BenchConnection;
import dev.switchboard.bench.client.Connector;
import dev.switchboard.bench.client.Inbound;
import dev.switchboard.bench.client.LoadClient;
import dev.switchboard.bench.metrics.LatencyRecorder;
import dev.switchboard.bench.report.Headline;
import dev.switchboard.bench.report.RunResult;
import dev.switchboard.bench.targets.StreamingHookTarget;
import dev.switchboard.bench.targets.Target;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Streamed replies, plain and resumable, in one run: each connection asks for a reply of {@code --chunks}
 * chunks produced every {@code --interval} by an RPC hook backend in this process (so a chunk's latency is
 * its write by the backend to its receipt here, on one clock), and asks again when it ends. The resumable
 * target sends the same requests with {@code "resumable": true}: every chunk is written to the reply's stream
 * (memory, or Redis with {@code --store redis}) before it is sent. The ratio is what resumability costs.
 */
@Command(name = "replies", mixinStandardHelpOptions = true,
        description = "Streamed replies: per-chunk latency and throughput, plain vs resumable, closed loop.")
public final class RepliesScenario extends ScenarioCommand {

    @Option(names = {"-c", "--connections"}, defaultValue = "50", description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--chunks", defaultValue = "50", description = "Chunks per reply (default: ${DEFAULT-VALUE}).")
    int chunks;

    @Option(names = "--interval", converter = DurationConverter.class, defaultValue = "10ms",
            description = "Time between two chunks of a reply (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--size", defaultValue = "40", description = "Chunk payload bytes (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--store", defaultValue = "memory", description = "memory, or redis (a redis-server this tool"
            + " starts for each target) (default: ${DEFAULT-VALUE}).")
    String store;

    @Override
    protected String name() {
        return "replies";
    }

    @Override
    protected List<Headline> headlines() {
        return List.of(new Headline("chunks_per_s", true), new Headline("latency:p99", false),
                new Headline("chunks_per_server_cpu_s", true));
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("connections", connections);
        p.put("chunks", chunks);
        p.put("interval", interval.toString());
        p.put("payloadBytes", size);
        p.put("store", store);
        return p;
    }

    @Override
    protected List<String> targets() {
        requireOwnTargets("compares plain and resumable replies on gateways it starts");
        if (!store.equals("memory") && !store.equals("redis")) {
            throw new IllegalArgumentException("--store is memory or redis, not " + store);
        }
        return List.of("plain", "resumable");
    }

    @Override
    protected Target start(String targetName, Path log) throws Exception {
        Path redisLog = store.equals("redis") ? log.resolveSibling(log.getFileName() + ".redis") : null;
        return StreamingHookTarget.start(targetName, gatewayJar(), common.serverJvmOptions(), common.serverArgs, log, redisLog);
    }

    @Override
    protected RunResult runAgainst(Target target, LoadClient client) throws Exception {
        RunResult result = new RunResult(target.name(), target.describe());
        boolean resumable = target.name().equals("resumable");
        String pad = "x".repeat(Math.max(0, size - 30));
        AtomicLong ids = new AtomicLong();
        LatencyRecorder latency = new LatencyRecorder();
        LongAdder received = new LongAdder();
        LongAdder measured = new LongAdder();
        LongAdder replies = new LongAdder();
        LongAdder errors = new LongAdder();
        MeasuredWindow timeline = new MeasuredWindow();
        Inbound inbound = new Inbound() {
            @Override
            public void message(BenchConnection c, long stamp) {
                long now = System.nanoTime();
                received.increment();
                if (timeline.counts(stamp, now)) {
                    measured.increment();
                    latency.record(now - stamp);
                }
            }

            @Override
            public void reply(BenchConnection c, String re, ByteBuf frame) {
                replies.increment();
                next(c);
            }

            @Override
            public void error(BenchConnection c, String re, ByteBuf frame) {
                errors.increment();
                next(c);
            }

            private void next(BenchConnection c) {
                if (timeline.open(System.nanoTime())) {
                    c.send(request(ids.incrementAndGet(), resumable, pad));
                }
            }
        };
        String token = target.token("bench-replies");
        Connector.Outcome outcome = new Connector(client, new LatencyRecorder()).open(connections,
                common.connectRate, 2000, i -> target.ws(token), inbound, Duration.ofSeconds(60), null);
        result.put("connections", outcome.connections().size());
        timeline.start(common.warmup, common.duration);
        outcome.connections().forEach(c -> c.send(request(ids.incrementAndGet(), resumable, pad)));
        ServerCpu cpu = new ServerCpu(target.pids());
        long[] last = {0};
        try {
            timeline.await("replies " + target.name(), () -> {
                Histogram iv = latency.interval();
                long r = received.sum();
                String s = String.format(Locale.ROOT, "chunks %,d (%,d/s)  replies %,d  p99 %s ms  errors %d", r, r - last[0],
                        replies.sum(), iv.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.2f",
                                iv.getValueAtPercentile(99) / 1e6), errors.sum());
                last[0] = r;
                return s;
            }, cpu);
            Waits.drain(replies::sum, ids.get(), Duration.ofSeconds(10), Duration.ofSeconds(3));
        } finally {
            outcome.connections().forEach(BenchConnection::close);
        }
        result.put("resumable", resumable);
        result.put("chunks", measured.sum());
        result.put("chunks_per_s", PubSubLoad.round(measured.sum() / (common.duration.toNanos() / 1e9)));
        cpu.report(result, measured.sum(), "chunks");
        result.put("replies", replies.sum());
        result.put("errors", errors.sum());
        result.latency(latency.total(), "chunk written by the backend to chunk received, measured window only");
        return result;
    }

    private String request(long id, boolean resumable, String pad) {
        return "{\"id\":\"" + Long.toString(id, 36) + "\",\"type\":\"" + StreamingHookTarget.TYPE + "\",\"data\":{\"chunks\":"
                + chunks + ",\"intervalMs\":" + interval.toMillis() + ",\"pad\":\"" + pad + "\"}"
                + (resumable ? ",\"resumable\":true" : "") + "}";
    }
}
