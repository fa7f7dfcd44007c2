package dev.switchboard.bench.targets;

import dev.switchboard.bench.client.Dialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Several server nodes this tool started on one redis-server it also started: the target of {@code bench
 * cluster}, gateways ({@code --engine redis}) or Socket.IO baselines on {@code @socket.io/redis-adapter}. Tickets
 * come from the first node; all gateway nodes share one random ticket secret (passed in the environment, so it
 * stays out of logs and reports), so any node accepts them.
 */
public final class ClusterTarget extends Target {

    /** Starts cluster node {@code n} (1-based) on {@code redisUri}, logging to {@code log}. */
    @FunctionalInterface
    private interface NodeLauncher {
        ServerProcess start(int n, String redisUri, Path log) throws IOException;
    }

    private final RedisProcess redis;
    private final List<ServerProcess> nodes;
    private final String kind;

    private ClusterTarget(String name, RedisProcess redis, List<ServerProcess> nodes, String kind) {
        super(name, nodes.get(0).http());
        this.redis = redis;
        this.nodes = nodes;
        this.kind = kind;
    }

    /** {@code count} Socket.IO baseline nodes on @socket.io/redis-adapter. */
    public static ClusterTarget socketIo(String name, int count, Path log) throws IOException {
        return start(name, count, "Socket.IO nodes (@socket.io/redis-adapter)", log,
                (n, redisUri, nodeLog) -> Launchers.socketIo(Repo.socketIoBaseline(), redisUri, "n" + n, nodeLog));
    }

    /**
     * Starts redis-server, then {@code count} gateways ({@link Launchers#gateway} plus {@code --engine redis
     * --redis … --node-id nK}); logs go next to {@code log} ({@code …-redis.log}, {@code …-n1.log}, …), which lists them. Whatever
     * started is stopped again if a later step fails.
     */
    public static ClusterTarget start(String name, int count, Path jar, List<String> jvmOptions,
                                      List<String> serverArgs, Path log) throws IOException {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Map<String, String> env = Map.of("SWITCHBOARD_TOKEN_SECRET", HexFormat.of().formatHex(secret));
        return start(name, count, "gateway nodes (--engine redis)", log, (n, redisUri, nodeLog) -> {
            List<String> args = new ArrayList<>(serverArgs);
            args.addAll(List.of("--engine=redis", "--redis=" + redisUri, "--node-id=n" + n));
            return Launchers.gateway("n" + n, jar, jvmOptions, args, env, nodeLog);
        });
    }

    private static ClusterTarget start(String name, int count, String kind, Path log, NodeLauncher launcher)
            throws IOException {
        String base = log.toString().replaceFirst("\\.log$", "");
        RedisProcess redis = RedisProcess.start(Path.of(base + "-redis.log"));
        List<ServerProcess> nodes = new ArrayList<>();
        try {
            for (int n = 1; n <= count; n++) {
                nodes.add(launcher.start(n, redis.uri(), Path.of(base + "-n" + n + ".log")));
            }
            // the run's server_log names this file: it points at the per-process logs
            StringBuilder index = new StringBuilder("redis-server: " + base + "-redis.log\n");
            for (int n = 1; n <= count; n++) {
                index.append("n").append(n).append(": ").append(base).append("-n").append(n).append(".log\n");
            }
            Files.writeString(log, index);
            return new ClusterTarget(name, redis, nodes, kind);
        } catch (IOException | RuntimeException e) {
            nodes.forEach(ServerProcess::close);
            redis.close();
            throw e;
        }
    }

    @Override
    public List<? extends Target> nodes() {
        return nodes;
    }

    /** The first node's pid; {@link #pids()} has them all. */
    @Override
    public OptionalLong pid() {
        return nodes.get(0).pid();
    }

    @Override
    public List<Long> pids() {
        List<Long> all = new ArrayList<>();
        nodes.forEach(n -> all.addAll(n.pids()));
        all.add(redis.pid());
        return all;
    }

    @Override
    public boolean isJvm() {
        return nodes.get(0).isJvm();
    }

    @Override
    public Dialect dialect() {
        return nodes.get(0).dialect();
    }

    @Override
    public String describe() {
        StringBuilder s = new StringBuilder(name()).append(": ").append(nodes.size())
                .append(" ").append(kind).append(" on redis-server pid ").append(redis.pid()).append(" at ")
                .append(redis.uri());
        nodes.forEach(n -> s.append("; ").append(n.describe()));
        return s.toString();
    }

    @Override
    public void close() {
        try {
            nodes.forEach(ServerProcess::close);
        } finally {
            redis.close();
        }
    }
}
