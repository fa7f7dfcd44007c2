package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.BenchConnection;
import dev.switchboard.bench.client.Connector;
import dev.switchboard.bench.client.FrameScan;
import dev.switchboard.bench.client.Inbound;
import dev.switchboard.bench.client.LoadClient;
import dev.switchboard.bench.client.Payloads;
import dev.switchboard.bench.metrics.LatencyRecorder;
import dev.switchboard.bench.report.Headline;
import dev.switchboard.bench.report.RunResult;
import dev.switchboard.bench.targets.HookedTarget;
import dev.switchboard.bench.targets.Target;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Request/reply with the built-in {@code echo}: each connection keeps a window of requests in flight. With
 * {@code --via-hook} the same load also goes through the RPC hook to a loopback backend ({@link HookedTarget}),
 * the JDK's or Node's ({@code --hook-backend}).
 */
@Command(name = "rpc", mixinStandardHelpOptions = true,
        description = "Request/reply round trips per second and latency (echo), closed loop.")
public final class RpcScenario extends ScenarioCommand {

    @Option(names = {"-c", "--connections"}, defaultValue = "100", description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--window", defaultValue = "4",
            description = "Requests in flight per connection (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--size", defaultValue = "100", description = "Payload bytes (default: ${DEFAULT-VALUE}).")
    int size;

    /** With {@code --via-hook}: the RPC hook (type bench.echo) against the in-process echo. */
    @Mixin
    HookOptions hooks;

    @Option(names = "--max-requests", defaultValue = "20000000",
            description = "Count bound on requests per target (default: ${DEFAULT-VALUE}).")
    long maxRequests;

    @Override
    protected String name() {
        return "rpc";
    }

    @Override
    protected List<Headline> headlines() {
        return List.of(new Headline("round_trips_per_s", true), new Headline("latency:p99", false),
                new Headline("round_trips_per_server_cpu_s", true));
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("connections", connections);
        p.put("window", window);
        p.put("payloadBytes", size);
        return p;
    }

    @Override
    protected List<String> targets() {
        return hooks.with(super.targets(), HookedTarget.Hook.RPC);
    }

    @Override
    protected Target start(String targetName, java.nio.file.Path log) throws Exception {
        Target hooked = hooks.start(targetName, HookedTarget.Hook.RPC, gatewayJar(), common, log);
        return hooked != null ? hooked : super.start(targetName, log);
    }

    @Override
    protected RunResult runAgainst(Target target, LoadClient client) throws Exception {
        RunResult result = new RunResult(target.name(), target.describe());
        String type = target instanceof HookedTarget ? HookedTarget.TYPE : "echo";
        // Distinct ids: a handler that answers later (the hook) still has the previous request open, and
        // the gateway refuses a second open request with the same id.
        java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();
        String token = target.token("bench-rpc");
        Payloads payloads = new Payloads(size, target.dialect());
        LatencyRecorder latency = new LatencyRecorder();
        LongAdder all = new LongAdder();
        LongAdder measured = new LongAdder();
        LongAdder sent = new LongAdder();
        LongAdder errors = new LongAdder();
        MeasuredWindow timeline = new MeasuredWindow();
        Inbound inbound = new Inbound() {
            @Override
            public void reply(BenchConnection c, String re, ByteBuf frame) {
                answered(c, FrameScan.stamp(frame));
            }

            @Override
            public void error(BenchConnection c, String re, ByteBuf frame) {
                errors.increment();
                answered(c, -1);
            }

            private void answered(BenchConnection c, long stamp) {
                long now = System.nanoTime();
                all.increment();
                if (timeline.counts(stamp, now)) {
                    measured.increment();
                    latency.record(now - stamp);
                }
                if (timeline.open(now) && sent.sum() < maxRequests) {
                    sent.increment();
                    c.send(payloads.request(type, ids.incrementAndGet(), now));
                }
            }
        };
        Connector.Outcome outcome = new Connector(client, new LatencyRecorder()).open(connections,
                common.connectRate, 2000, i -> target.ws(token), inbound, Duration.ofSeconds(60), null);
        result.put("connections", outcome.connections().size());
        timeline.start(common.warmup, common.duration);
        for (BenchConnection c : outcome.connections()) {
            c.channel().eventLoop().execute(() -> {
                for (int i = 0; i < window; i++) {
                    sent.increment();
                    c.write(payloads.request(type, ids.incrementAndGet(), System.nanoTime()));
                }
                c.flush();
            });
        }
        ServerCpu cpu = new ServerCpu(target.pids());
        long[] last = {0};
        try {
            timeline.await("rpc " + target.name(), () -> {
                Histogram iv = latency.interval();
                long a = all.sum();
                String s = String.format(Locale.ROOT, "round trips %,d (%,d/s)  p99 %s ms  errors %d", a, a - last[0],
                        iv.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.2f",
                                iv.getValueAtPercentile(99) / 1e6), errors.sum());
                last[0] = a;
                return s;
            }, cpu);
            Waits.drain(all::sum, sent.sum(), Duration.ofSeconds(5), Duration.ofSeconds(2));
        } finally {
            outcome.connections().forEach(BenchConnection::close);
        }
        result.put("round_trips", measured.sum());
        result.put("round_trips_per_s", PubSubLoad.round(measured.sum() / (common.duration.toNanos() / 1e9)));
        cpu.report(result, measured.sum(), "round_trips");
        result.put("errors", errors.sum());
        result.latency(latency.total(), "request sent to its reply received, measured window only");
        return result;
    }
}
