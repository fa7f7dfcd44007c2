package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.BenchConnection;
import dev.switchboard.bench.client.Connector;
import dev.switchboard.bench.client.LoadClient;
import dev.switchboard.bench.client.WsEndpoint;
import dev.switchboard.bench.client.Inbound;
import dev.switchboard.bench.metrics.LatencyRecorder;
import dev.switchboard.bench.metrics.Machine;
import dev.switchboard.bench.metrics.ServerMemory;
import dev.switchboard.bench.report.Headline;
import dev.switchboard.bench.report.Progress;
import dev.switchboard.bench.report.RunResult;
import dev.switchboard.bench.targets.HookedTarget;
import dev.switchboard.bench.targets.Target;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * N authenticated idle connections opened at a controlled rate, held, then measured: connect rate, failures,
 * and what each connection costs the server in memory (RSS, heap after GC, direct), extrapolated to 1M.
 */
@Command(name = "connections", mixinStandardHelpOptions = true,
        description = "Open N authenticated idle connections at a controlled rate; report connect rate and server"
                + " memory per connection.")
public final class ConnectionsScenario extends ScenarioCommand {

    /** File descriptors a server process needs besides its sockets (jars, epoll, pipes, logs): a safe margin. */
    static final int FD_MARGIN = 300;

    /** Connections per warm-up batch: enough for the JIT to compile the connect path, few enough to be quick. */
    static final int WARMUP_BATCH = 5_000;

    /**
     * The least warm-up, whatever {@code --warmup} says: measured, the gateway's connects per CPU-second kept
     * rising over the first 30,000-40,000 connects of a fresh JVM (C2 still compiling the upgrade path).
     */
    static final int WARMUP_MIN_BATCHES = 8;

    @Option(names = {"-n", "--count"}, defaultValue = "10000", description = "Connections (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--rate", converter = RateConverter.class, defaultValue = "10000",
            description = "Connections opened per second, or max (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--max-pending", defaultValue = "2000",
            description = "Handshakes in flight at once (default: ${DEFAULT-VALUE}).")
    int maxPending;

    /** With {@code --via-hook}: every connect also asks the connect hook, against tickets alone. */
    @picocli.CommandLine.Mixin
    HookOptions hooks;

    @Option(names = "--hold", converter = DurationConverter.class, defaultValue = "5s",
            description = "How long to hold them before measuring (default: ${DEFAULT-VALUE}).")
    Duration hold;

    @Override
    protected String name() {
        return "connections";
    }

    @Override
    protected List<String> targets() {
        return hooks.with(super.targets(), HookedTarget.Hook.CONNECT);
    }

    @Override
    protected Target start(String targetName, java.nio.file.Path log) throws Exception {
        Target hooked = hooks.start(targetName, HookedTarget.Hook.CONNECT, gatewayJar(), common, log);
        return hooked != null ? hooked : super.start(targetName, log);
    }

    @Override
    protected boolean timed() {
        return false;
    }

    @Override
    protected List<Headline> headlines() {
        // No RSS ratio: the gateway's heap is pre-touched (so its RSS growth leaves the heap out) while Node's RSS
        // growth includes its heap; docs/benchmarks.md compares heap + RSS growth against Node's RSS growth.
        return List.of(new Headline("connects_per_s", true), new Headline("connects_per_server_cpu_s", true),
                new Headline("latency:p99", false));
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", count);
        p.put("rate", rate == 0 ? "max" : rate);
        p.put("maxPending", maxPending);
        p.put("hold", hold.toString());
        p.put("warmup", common.warmup.toString());
        return p;
    }

    /** How many connections fit under the open-file limits of the server and this client; notes why if capped. */
    static int capped(int requested, long serverLimit, long clientLimit, List<String> notes) {
        long cap = Long.MAX_VALUE;
        if (serverLimit > 0) {
            cap = Math.min(cap, serverLimit - FD_MARGIN);
            notes.add("server open-file limit is " + serverLimit + " per process");
        }
        if (clientLimit > 0) {
            cap = Math.min(cap, clientLimit - FD_MARGIN);
            notes.add("load-client open-file limit is " + clientLimit + " per process");
        }
        if (requested > cap) {
            notes.add("capped from " + requested + " to " + cap + " connections by the open-file limit (" + FD_MARGIN
                    + " descriptors kept for the processes themselves); the per-connection cost below is what"
                    + " scales to larger machines");
            return (int) cap;
        }
        return requested;
    }

    @Override
    protected RunResult runAgainst(Target target, LoadClient client) throws Exception {
        RunResult result = new RunResult(target.name(), target.describe());
        long serverLimit = target.pid().isPresent() ? Machine.openFilesLimit(target.pid().getAsLong()) : -1;
        long clientLimit = Machine.openFilesLimit(ProcessHandle.current().pid());
        List<String> notes = new ArrayList<>();
        int n = capped(count, serverLimit, clientLimit, notes);
        notes.forEach(result::note);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            tokens.add(target.token("bench-idle-" + i));
        }
        // Read before the warm-up, so that RSS growth also counts what the warm-up leaves behind (JIT code, arenas).
        ServerMemory before = ServerMemory.read(target);
        IntFunction<WsEndpoint> ticketed = i -> target.ws(tokens.get(i % tokens.size()));
        warmUp(target, client, Math.min(n, WARMUP_BATCH), ticketed);
        LatencyRecorder connectTimes = new LatencyRecorder();
        AtomicLong done = new AtomicLong();
        Connector.Outcome outcome;
        ServerCpu cpu = new ServerCpu(target.pids());
        cpu.start();
        try (Progress p = new Progress("connections " + target.name(),
                () -> String.format(Locale.ROOT, "settled %,d of %,d", done.get(), n))) {
            outcome = new Connector(client, connectTimes).open(n, rate, maxPending, ticketed, Inbound.NONE,
                    Duration.ofSeconds(180), done);
        }
        cpu.stop();
        List<BenchConnection> conns = outcome.connections();
        result.put("requested", count);
        result.put("attempted", outcome.attempted());
        result.put("connected", conns.size());
        result.put("failed", outcome.failed());
        result.put("connects_per_s", PubSubLoad.round(outcome.perSecond()));
        cpu.report(result, conns.size(), "connects");
        if (!outcome.failureReasons().isEmpty()) {
            result.note("failures: " + outcome.failureReasons());
        }
        Thread.sleep(hold.toMillis());
        long open = conns.stream().filter(BenchConnection::isOpen).count();
        result.put("open_after_hold", open);
        ServerMemory after = ServerMemory.read(target);
        perConnection(result, "rss", before.rss(), after.rss(), open);
        perConnection(result, "heap", before.heap(), after.heap(), open);
        perConnection(result, "direct", before.direct(), after.direct(), open);
        if (after.heap() >= 0 && after.direct() >= 0 && open > 0) {
            double heapPlusDirect = (double) ((after.heap() - before.heap()) + (after.direct() - before.direct()))
                    / open;
            result.put("heap_plus_direct_per_connection_bytes", Math.round(heapPlusDirect));
            result.put("heap_plus_direct_for_1M_GiB", PubSubLoad.round3(heapPlusDirect * 1e6 / (1L << 30)));
        }
        double rssPer = result.number("rss_per_connection_bytes");
        if (!Double.isNaN(rssPer)) {
            result.put("rss_for_1M_GiB", PubSubLoad.round3(rssPer * 1e6 / (1L << 30)));
        }
        result.latency(connectTimes.total(), "TCP connect + WebSocket upgrade + welcome, per connection");
        conns.forEach(BenchConnection::close);
        return result;
    }

    /**
     * Opens and closes batches of connections for {@code --warmup} (and at least {@link #WARMUP_MIN_BATCHES}),
     * so that both targets are measured with their connect path compiled (measured: 2.4k connects per server
     * CPU-second cold against 14k warm). Then waits until the server has let go of those sockets, so the
     * measured batch starts from the same open-file count.
     */
    private void warmUp(Target target, LoadClient client, int batch, IntFunction<WsEndpoint> ticketed)
            throws InterruptedException {
        if (common.warmup.isZero() || batch <= 0) { // --warmup 0 measures a cold server
            return;
        }
        long baseline = target.pid().isPresent() ? Machine.openFiles(target.pid().getAsLong()) : -1;
        long end = System.nanoTime() + common.warmup.toNanos();
        int batches = 0;
        do {
            Connector.Outcome warm = new Connector(client, new LatencyRecorder()).open(batch, rate, maxPending,
                    ticketed, Inbound.NONE, Duration.ofSeconds(60), null);
            for (BenchConnection c : warm.connections()) {
                c.close();
                c.channel().closeFuture().awaitUninterruptibly(5_000);
            }
            batches++;
        } while (System.nanoTime() < end || batches < WARMUP_MIN_BATCHES);
        if (baseline >= 0) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (Machine.openFiles(target.pid().getAsLong()) > baseline + FD_MARGIN / 3 && System.nanoTime() < deadline) {
                Thread.sleep(50); // polling the server's descriptor count, bounded by the deadline
            }
        }
        System.out.printf(Locale.ROOT, "[connections %s] warmed up with %d batch(es) of %,d connections%n",
                target.name(), batches, batch);
    }

    private static void perConnection(RunResult result, String what, long before, long after, long open) {
        if (before < 0 || after < 0) {
            return;
        }
        result.put(what + "_before_bytes", before);
        result.put(what + "_after_bytes", after);
        if (open > 0) {
            result.put(what + "_per_connection_bytes", Math.round((double) (after - before) / open));
        }
    }
}
