package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.LoadClient;
import dev.switchboard.bench.metrics.LatencyRecorder;
import dev.switchboard.bench.metrics.ServerMemory;
import dev.switchboard.bench.report.Headline;
import dev.switchboard.bench.report.Progress;
import dev.switchboard.bench.report.RunResult;
import dev.switchboard.bench.targets.Launchers;
import dev.switchboard.bench.targets.Repo;
import dev.switchboard.bench.targets.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Durable Streams HTTP protocol: memory per idle stream (N small streams created, the server's heap (or
 * RSS) before and after, each after a GC), then appends per second (W writers, each appending to its own stream
 * in a closed loop) and catch-up reads per second (readers reading whole small streams), against the gateway's
 * {@code /streams} and the protocol's own Node server ({@code --baseline durable-streams}) in one run.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Durable Streams over HTTP: memory per idle stream, appends/s and reads/s.")
public final class StreamsScenario extends ScenarioCommand {

    private static final String KEY = "Bearer dev-api-key";

    @Option(names = "--streams", defaultValue = "10000", description = "Idle streams created for the memory figure (default: ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--writers", defaultValue = "32", description = "Concurrent appenders (default: ${DEFAULT-VALUE}).")
    int writers;

    @Option(names = "--readers", defaultValue = "32", description = "Concurrent readers (default: ${DEFAULT-VALUE}).")
    int readers;

    @Option(names = "--size", defaultValue = "100", description = "Bytes per append (default: ${DEFAULT-VALUE}).")
    int size;

    @Override
    protected String name() {
        return "streams";
    }

    @Override
    protected List<Headline> headlines() {
        return List.of(new Headline("appends_per_s", true), new Headline("reads_per_s", true),
                new Headline("bytes_per_idle_stream", false));
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("streams", streams);
        p.put("writers", writers);
        p.put("readers", readers);
        p.put("appendBytes", size);
        return p;
    }

    /** The gateway, then {@code --baseline durable-streams} (the protocol's own Node server), the only baseline. */
    @Override
    protected List<String> targets() {
        List<String> targets = super.targets();
        for (String b : targets.subList(1, targets.size())) {
            if (!b.equals("durable-streams")) {
                throw new IllegalArgumentException("streams compares with --baseline durable-streams only, not " + b);
            }
        }
        return targets;
    }

    @Override
    protected Target start(String targetName, Path log) throws Exception {
        if ("durable-streams".equals(targetName)) {
            return Launchers.durableStreams(Repo.durableStreamsBaseline(), log);
        }
        return super.start(targetName, log);
    }

    @Override
    protected RunResult runAgainst(Target target, LoadClient unused) throws Exception {
        RunResult result = new RunResult(target.name(), target.describe());
        String base = target.http() + (target.name().equals("durable-streams") ? "" : "/streams");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(5)).build();
        String run = Long.toString(System.nanoTime(), 36);
        byte[] small = "x".repeat(100).getBytes();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            ServerMemory before = ServerMemory.read(target);
            AtomicInteger next = new AtomicInteger();
            List<java.util.concurrent.Future<?>> creators = new ArrayList<>();
            for (int w = 0; w < 32; w++) {
                creators.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < streams; ) {
                        send(http, put(base + "/idle-" + run + "/s" + i, small));
                    }
                    return null;
                }));
            }
            for (var f : creators) {
                f.get(10, TimeUnit.MINUTES);
            }
            ServerMemory after = ServerMemory.read(target);
            long grown = after.heap() >= 0 ? after.heap() - before.heap() : after.rss() - before.rss();
            result.put("memory_measured", after.heap() >= 0 ? "heap after GC" : "RSS");
            result.put("bytes_per_idle_stream", Math.round((double) grown / streams));

            result.put("appends_per_s", load(http, pool, "appends", writers, i -> {
                String path = base + "/load-" + run + "/w" + i;
                send(http, put(path, new byte[0]));
                byte[] body = "y".repeat(size).getBytes();
                return () -> send(http, HttpRequest.newBuilder(URI.create(path)).header("Authorization", KEY)
                        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            }, result, "append"));
            result.put("reads_per_s", load(http, pool, "reads", readers, i -> {
                String path = base + "/idle-" + run + "/s" + (i % streams) + "?offset=-1";
                return () -> send(http, HttpRequest.newBuilder(URI.create(path)).header("Authorization", KEY).GET().build());
            }, result, "read"));
        }
        return result;
    }

    /** One worker's operation, ready to repeat. */
    @FunctionalInterface
    private interface Operation {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface Worker {
        Operation prepare(int index) throws Exception;
    }

    /** Runs {@code workers} closed loops for warm-up + duration; returns operations/s in the measured window. */
    private double load(HttpClient http, ExecutorService pool, String what, int workers, Worker worker, RunResult result,
                        String label) throws Exception {
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            ops.add(worker.prepare(i));
        }
        LatencyRecorder latency = new LatencyRecorder();
        LongAdder done = new LongAdder();
        LongAdder measured = new LongAdder();
        LongAdder failed = new LongAdder();
        long start = System.nanoTime();
        long measureFrom = start + common.warmup.toNanos();
        long end = measureFrom + common.duration.toNanos();
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        try (Progress p = new Progress(what, () -> String.format(Locale.ROOT, "%s %,d  failed %d", what, done.sum(), failed.sum()))) {
            for (Operation op : ops) {
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        try {
                            op.run();
                        } catch (Exception e) {
                            failed.increment();
                            continue;
                        }
                        long t1 = System.nanoTime();
                        done.increment();
                        if (t0 >= measureFrom && t1 <= end) {
                            measured.increment();
                            latency.record(t1 - t0);
                        }
                    }
                    return null;
                }));
            }
            for (var f : running) {
                f.get();
            }
        }
        var h = latency.total();
        result.put(label + "_p50_ms", PubSubLoad.round3(h.getValueAtPercentile(50) / 1e6));
        result.put(label + "_p99_ms", PubSubLoad.round3(h.getValueAtPercentile(99) / 1e6));
        result.put(label + "_failures", failed.sum());
        return PubSubLoad.round(measured.sum() / (common.duration.toNanos() / 1e9));
    }

    private static HttpRequest put(String url, byte[] body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", KEY).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static void send(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + r.statusCode());
        }
    }
}
