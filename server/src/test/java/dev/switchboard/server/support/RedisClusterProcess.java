package dev.switchboard.server.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A local Redis Cluster of three masters (no replicas), created with {@code redis-cli --cluster create}. */
public final class RedisClusterProcess implements AutoCloseable {

    private final List<RedisServerProcess> nodes = new ArrayList<>();

    private RedisClusterProcess() {
    }

    /** Starts three cluster-enabled servers on free ports and joins them into one cluster with all slots covered. */
    public static RedisClusterProcess start() throws IOException, InterruptedException {
        RedisClusterProcess c = new RedisClusterProcess();
        try {
            for (int i = 0; i < 3; i++) {
                int port = freeClusterPort();
                c.nodes.add(RedisServerProcess.startOn(port, "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes-" + port + ".conf", "--cluster-node-timeout", "2000"));
            }
            List<String> cmd = new ArrayList<>(List.of(cli(), "--cluster", "create"));
            for (RedisServerProcess n : c.nodes) {
                cmd.add("127.0.0.1:" + n.port());
            }
            cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("redis-cli --cluster create failed: " + out);
            }
            c.awaitOk();
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}. */
    public String uri() {
        StringBuilder b = new StringBuilder("redis-cluster://");
        for (int i = 0; i < nodes.size(); i++) {
            b.append(i == 0 ? "" : ",").append("127.0.0.1:").append(nodes.get(i).port());
        }
        return b.toString();
    }

    public List<RedisServerProcess> nodes() {
        return nodes;
    }

    private void awaitOk() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (RedisServerProcess n : nodes) {
                all &= n.command("CLUSTER", "INFO").contains("cluster_state:ok");
            }
            if (all) {
                return;
            }
            Thread.sleep(100); // polling cluster state; gossip has no event to wait on
        }
        throw new IOException("cluster did not reach cluster_state:ok");
    }

    /** A free port whose +10000 bus port is free too. */
    private static int freeClusterPort() throws IOException {
        for (int i = 0; i < 50; i++) {
            int p = RedisServerProcess.freePort();
            if (p + 10000 < 65536) {
                try (var s = new java.net.ServerSocket(p + 10000, 1, java.net.InetAddress.getLoopbackAddress())) {
                    return p;
                } catch (IOException busy) {
                    // try another
                }
            }
        }
        throw new IOException("no free port pair for a cluster node");
    }

    private static String cli() {
        String server = RedisServerProcess.binary();
        return server.endsWith("redis-server") ? server.substring(0, server.length() - "redis-server".length()) + "redis-cli" : "redis-cli";
    }

    @Override
    public void close() {
        nodes.forEach(RedisServerProcess::stop);
    }
}
