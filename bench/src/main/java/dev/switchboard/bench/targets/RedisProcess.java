package dev.switchboard.bench.targets;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code redis-server} this tool started for a cluster run: a random free loopback port, no persistence
 * ({@code --save "" --appendonly no}), output to a log file; stopped on close or when the tool exits.
 */
public final class RedisProcess implements AutoCloseable {

    private final Process process;
    private final Thread exitHook;
    private final int port;
    private final Path dir;

    private RedisProcess(Process process, int port, Path dir) {
        this.process = process;
        this.dir = dir;
        this.exitHook = ChildProcesses.stopAtExit(process, "redis-server");
        this.port = port;
    }

    /** Starts redis-server and returns once it answers PING (or fails within 10 s). */
    public static RedisProcess start(Path log) throws IOException {
        int port = freePort();
        Path dir = Files.createTempDirectory("switchboard-bench-redis-");
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(List.of(binary(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "warning"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RedisProcess redis = new RedisProcess(p, port, dir);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!redis.answersPing()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                redis.close();
                throw new IOException("redis-server did not answer PING on port " + port + " (see " + log + ")");
            }
            try {
                Thread.sleep(20); // nothing to wait on but the port opening
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                redis.close();
                throw new IOException("interrupted while starting redis-server", e);
            }
        }
        return redis;
    }

    /** The address gateways take as {@code --redis}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The process id (for CPU readings). */
    public long pid() {
        return process.pid();
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            s.setSoTimeout(1000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(5);
            return "+PONG".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    /** redis-server from $REDIS_SERVER, else the PATH, else /usr/bin (scripts/install-deps.sh installs it). */
    static String binary() throws IOException {
        String env = System.getenv("REDIS_SERVER");
        if (env != null && !env.isBlank()) {
            return env;
        }
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "redis-server"))) {
                return Path.of(dir, "redis-server").toString();
            }
        }
        throw new IOException("redis-server not found: install it (scripts/install-deps.sh) or set REDIS_SERVER");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, exitHook);
        try {
            Files.deleteIfExists(dir); // empty: nothing is saved
        } catch (IOException e) {
            // a leftover empty temp folder is harmless
        }
    }
}
