package dev.switchboard.bench.faults;

import dev.switchboard.bench.targets.Launchers;
import dev.switchboard.bench.targets.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The processes of a fault run, each in its namespace of the {@link NetLab}: one redis-server (append-only file,
 * fsync always, so a kill -9 keeps what it acknowledged) and the gateway nodes on it. Faults act on them here:
 * kill -9, SIGSTOP/SIGCONT, restarts (a killed process comes back the way a supervisor would bring it back).
 */
final class Lab implements AutoCloseable {

    static final int GATEWAY_PORT = 8080;
    private static final int REDIS_PORT = 6379;

    final NetLab net;
    private final Path dir;
    private final Path jar;
    private final List<String> gatewayArgs;
    private final ServerProcess[] gateways;
    private final int[] starts;
    private final Path redisData;
    private Process redis;
    private int redisStarts;
    private final SentinelRedis sentinel;

    /** {@code sentinel}: Redis as a primary and a replica under Sentinel instead of one server. */
    Lab(NetLab net, Path dir, Path jar, List<String> gatewayArgs, boolean sentinel) throws IOException {
        this.net = net;
        this.dir = dir;
        this.jar = jar;
        this.gatewayArgs = gatewayArgs;
        this.gateways = new ServerProcess[net.gateways() + 1];
        this.starts = new int[net.gateways() + 1];
        this.redisData = Files.createTempDirectory("switchboard-faults-redis-");
        this.sentinel = sentinel ? new SentinelRedis(redisData) : null;
    }

    static String redisUri(boolean sentinel) {
        return sentinel ? SentinelRedis.uri() : "redis://" + NetLab.redisAddress() + ":" + REDIS_PORT;
    }

    /** Redis under Sentinel; fails when this run has one plain server. */
    SentinelRedis sentinel() {
        if (sentinel == null) {
            throw new IllegalStateException("the failover fault needs --redis-topology sentinel");
        }
        return sentinel;
    }

    /** Starts Redis as this run has it: one server, or a primary, a replica and three sentinels. */
    void startRedis() throws IOException {
        if (sentinel != null) {
            sentinel.start();
        } else {
            startRedis(false);
        }
    }

    static URI gatewayUri(int i) {
        return URI.create("http://" + NetLab.gatewayAddress(i) + ":" + GATEWAY_PORT);
    }

    /** Starts Redis; {@code wipe} first deletes its data, as a restart without persistence would lose it. */
    void startRedis(boolean wipe) throws IOException {
        if (wipe) {
            try (Stream<Path> files = Files.list(redisData)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    deleteTree(f);
                }
            }
        }
        redisStarts++;
        Path log = dir.resolve("redis-" + redisStarts + ".log");
        List<String> cmd = new ArrayList<>(NetLab.inside(NetLab.REDIS));
        cmd.addAll(List.of(redisBinary(), "--bind", "0.0.0.0", "--port", Integer.toString(REDIS_PORT),
                "--protected-mode", "no", "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                "--dir", redisData.toString()));
        redis = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Process started = redis;
        await("redis-server ready (see " + log + ")", Duration.ofSeconds(20), () -> {
            if (!started.isAlive()) {
                throw new IllegalStateException("redis-server exited (see " + log + ")");
            }
            return Files.readString(log).contains("Ready to accept connections");
        });
    }

    void killRedis() throws InterruptedException {
        redis.destroyForcibly();
        redis.waitFor(10, TimeUnit.SECONDS);
    }

    void signalRedis(String signal) throws IOException {
        signal(redis.pid(), signal);
    }

    /** Starts gateway {@code i} and waits until it reports ready. */
    void startGateway(int i) throws IOException {
        starts[i]++;
        gateways[i] = Launchers.gateway("gw" + i, NetLab.inside(NetLab.gateway(i)), "0.0.0.0", GATEWAY_PORT, jar,
                List.of("-Xmx256m", "-XX:+UseSerialGC"), gatewayArgs, dir.resolve("gw" + i + "-" + starts[i] + ".log"));
        awaitReady(i, Duration.ofSeconds(60));
    }

    void killGateway(int i) throws IOException {
        ProcessHandle.of(gateways[i].pid().orElseThrow()).ifPresent(ProcessHandle::destroyForcibly);
        gateways[i].close(); // reaps it and drops its exit hook
    }

    void signalGateway(int i, String signal) throws IOException {
        signal(gateways[i].pid().orElseThrow(), signal);
    }

    /** Polls {@code /readyz} (the gateway answers 200 once its engine is connected). */
    void awaitReady(int i, Duration timeout) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await("gateway " + i + " ready", timeout, () -> http.send(HttpRequest.newBuilder(gatewayUri(i).resolve("/readyz"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    private static void signal(long pid, String signal) throws IOException {
        NetLab.run(List.of("kill", "-" + signal, Long.toString(pid)));
    }

    /** A condition polled until it holds; an exception counts as "not yet". */
    interface Check {
        boolean holds() throws IOException, InterruptedException;
    }

    /** Polls {@code check} every 100 ms until it holds, failing with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, Check check) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet, still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting: " + what, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(what + " did not happen within " + timeout);
            }
            sleep(100); // polling a process or the network: nothing to wait on
        }
    }

    static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static String redisBinary() {
        String env = System.getenv("REDIS_SERVER");
        return env != null && !env.isBlank() ? env : "redis-server";
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Override
    public void close() {
        for (int i = 1; i < gateways.length; i++) {
            if (gateways[i] != null) {
                try {
                    signalGateway(i, "CONT"); // a paused process cannot act on SIGTERM
                } catch (IOException e) {
                    // already gone
                }
                gateways[i].close();
            }
        }
        if (sentinel != null) {
            sentinel.close();
        }
        if (redis != null) {
            try {
                signalRedis("CONT");
            } catch (IOException e) {
                // already gone
            }
            redis.destroyForcibly();
        }
        try {
            deleteTree(redisData);
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }
}
