package dev.switchboard.bench.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Redis under Sentinel for the {@code failover} fault: a primary and a replica, each in its own namespace
 * (append-only file, fsync always), and three sentinels (quorum 2, down after 1.5 s) in a third. The fault kills
 * the current primary with kill -9; the sentinels promote the replica and the gateways follow the promotion;
 * the killed server comes back as the new primary's replica.
 */
final class SentinelRedis implements AutoCloseable {

    static final String MASTER = "sbmaster";
    private static final int PORT = 6379;
    private static final int[] SENTINEL_PORTS = {26379, 26380, 26381};

    /** Server address → its namespace. */
    private static final Map<String, String> SERVERS = Map.of(NetLab.redisAddress(), NetLab.REDIS,
            NetLab.replicaAddress(), NetLab.REDIS_REPLICA);

    private final Path dir;
    private final Map<String, Process> servers = new LinkedHashMap<>();
    private final List<Process> sentinels = new ArrayList<>();
    private String killed;
    private int starts;

    SentinelRedis(Path dir) {
        this.dir = dir;
    }

    /** The URI gateways take: every sentinel, and the name of the monitored primary. */
    static String uri() {
        StringBuilder hosts = new StringBuilder();
        for (int port : SENTINEL_PORTS) {
            hosts.append(hosts.isEmpty() ? "" : ",").append(NetLab.sentinelAddress()).append(':').append(port);
        }
        return "redis-sentinel://" + hosts + "#" + MASTER;
    }

    void start() throws IOException {
        startServer(NetLab.redisAddress(), null);
        startServer(NetLab.replicaAddress(), NetLab.redisAddress());
        for (int port : SENTINEL_PORTS) {
            Path d = Files.createDirectories(dir.resolve("sentinel-" + port));
            Path conf = d.resolve("sentinel.conf");
            Files.writeString(conf, "port " + port + "\nbind 0.0.0.0\nprotected-mode no\ndir " + d + "\n"
                    + "sentinel monitor " + MASTER + " " + NetLab.redisAddress() + " " + PORT + " 2\n"
                    + "sentinel down-after-milliseconds " + MASTER + " 1500\n"
                    + "sentinel failover-timeout " + MASTER + " 10000\n");
            List<String> cmd = new ArrayList<>(NetLab.inside(NetLab.SENTINELS));
            cmd.addAll(List.of(Lab.redisBinary(), conf.toString(), "--sentinel"));
            sentinels.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(d.resolve("sentinel.log").toFile()).start());
        }
        awaitReplicaInSync(NetLab.replicaAddress());
        awaitPrimary(NetLab.redisAddress());
    }

    /** Kills the current primary with kill -9. */
    void killPrimary() throws IOException, InterruptedException {
        killed = primary();
        Process p = servers.remove(killed);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits for the promotion, then brings the killed server back as the new primary's replica. */
    void restartKilled() throws IOException {
        Lab.await("the sentinels promoting a replica", Duration.ofSeconds(30), () -> !primary().equals(killed));
        startServer(killed, primary());
        awaitReplicaInSync(killed);
    }

    private void startServer(String address, String replicaOf) throws IOException {
        starts++;
        Path data = Files.createDirectories(dir.resolve("redis-" + address));
        List<String> cmd = new ArrayList<>(NetLab.inside(SERVERS.get(address)));
        cmd.addAll(List.of(Lab.redisBinary(), "--bind", "0.0.0.0", "--port", Integer.toString(PORT),
                "--protected-mode", "no", "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                "--dir", data.toString()));
        if (replicaOf != null) {
            cmd.addAll(List.of("--replicaof", replicaOf, Integer.toString(PORT)));
        }
        servers.put(address, new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis-" + address + "-" + starts + ".log").toFile()).start());
    }

    /** The primary's address, as the first sentinel sees it. */
    String primary() throws IOException {
        String out = cli(NetLab.SENTINELS, NetLab.sentinelAddress(), SENTINEL_PORTS[0],
                "SENTINEL", "get-master-addr-by-name", MASTER);
        return out.strip().split("\\s+")[0];
    }

    private void awaitPrimary(String address) throws IOException {
        Lab.await("the sentinels reporting " + address + " as primary", Duration.ofSeconds(30),
                () -> primary().equals(address));
    }

    private void awaitReplicaInSync(String address) throws IOException {
        Lab.await("replica " + address + " in sync", Duration.ofSeconds(30),
                () -> cli(SERVERS.get(address), address, PORT, "INFO", "replication").contains("master_link_status:up"));
    }

    private static String cli(String namespace, String host, int port, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(NetLab.inside(namespace));
        cmd.addAll(List.of("redis-cli", "-h", host, "-p", Integer.toString(port)));
        cmd.addAll(List.of(command));
        return NetLab.run(cmd);
    }

    @Override
    public void close() {
        sentinels.forEach(Process::destroyForcibly);
        servers.values().forEach(Process::destroyForcibly);
    }
}
