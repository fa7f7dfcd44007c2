package dev.switchboard.bench.targets;

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
 * Several gateway nodes this tool started on one redis-server it also started ({@code --engine redis}): the
 * target of {@code bench cluster}. Tickets come from the first node; all nodes share one random ticket secret
 * (passed in the environment, so it stays out of logs and reports), so any node accepts them.
 */
public final class ClusterTarget extends Target {

    private final RedisProcess redis;
    private final List<ServerProcess> nodes;

    private ClusterTarget(String name, RedisProcess redis, List<ServerProcess> nodes) {
        super(name, nodes.get(0).http());
        this.redis = redis;
        this.nodes = nodes;
    }

    /**
     * Starts redis-server, then {@code count} gateways ({@link Launchers#gateway} plus {@code --engine redis
     * --redis … --node-id nK}); logs go next to {@code log} ({@code …-redis.log}, {@code …-n1.log}, …), which lists them. Whatever
     * started is stopped again if a later step fails.
     */
    public static ClusterTarget start(String name, int count, Path jar, List<String> jvmOptions,
                                      List<String> serverArgs, Path log) throws IOException {
        String base = log.toString().replaceFirst("\\.log$", "");
        RedisProcess redis = RedisProcess.start(Path.of(base + "-redis.log"));
        List<ServerProcess> nodes = new ArrayList<>();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Map<String, String> env = Map.of("SWITCHBOARD_TOKEN_SECRET", HexFormat.of().formatHex(secret));
        try {
            for (int n = 1; n <= count; n++) {
                List<String> args = new ArrayList<>(serverArgs);
                args.addAll(List.of("--engine=redis", "--redis=" + redis.uri(), "--node-id=n" + n));
                nodes.add(Launchers.gateway("n" + n, jar, jvmOptions, args, env, Path.of(base + "-n" + n + ".log")));
            }
            // the run's server_log names this file: it points at the per-process logs
            StringBuilder index = new StringBuilder("redis-server: " + base + "-redis.log\n");
            for (int n = 1; n <= count; n++) {
                index.append("n").append(n).append(": ").append(base).append("-n").append(n).append(".log\n");
            }
            Files.writeString(log, index);
            return new ClusterTarget(name, redis, nodes);
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
        return true;
    }

    @Override
    public String describe() {
        StringBuilder s = new StringBuilder(name()).append(": ").append(nodes.size())
                .append(" gateway nodes (--engine redis) on redis-server pid ").append(redis.pid()).append(" at ")
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
