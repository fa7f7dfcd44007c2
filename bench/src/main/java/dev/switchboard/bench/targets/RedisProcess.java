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

    private final int port;
    private final Path dir;
    private final Path log;
    private final List<String> command;
    private Process process;
    private Thread exitHook;

    private RedisProcess(int port, Path dir, Path log, List<String> command) {
        this.port = port;
        this.dir = dir;
        this.log = log;
        this.command = command;
    }

    /** Starts redis-server and returns once it answers PING (or fails within 10 s). */
    public static RedisProcess start(Path log) throws IOException {
        return start(log, false);
    }

    /**
     * Starts redis-server; {@code persistent} keeps its data across {@link #restart()} (append-only file,
     * fsync always), as a production Redis that restarts would.
     */
    public static RedisProcess start(Path log, boolean persistent) throws IOException {
        int port = freePort();
        Path dir = Files.createTempDirectory("switchboard-bench-redis-");
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> cmd = List.of(binary(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--save", "", "--appendonly", persistent ? "yes" : "no", "--appendfsync", "always",
                "--dir", dir.toString(), "--loglevel", "warning");
        RedisProcess redis = new RedisProcess(port, dir, log, cmd);
        redis.launch();
        return redis;
    }

    /** Stops the server and starts it again on the same port and data directory. */
    public void restart() throws IOException {
        ChildProcesses.stop(process, exitHook);
        launch();
    }

    private void launch() throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        this.process = p;
        this.exitHook = ChildProcesses.stopAtExit(p, "redis-server");
        RedisProcess redis = this;
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
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a leftover empty temp folder is harmless
        }
    }
}
