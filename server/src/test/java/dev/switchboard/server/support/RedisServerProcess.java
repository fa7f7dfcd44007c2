package dev.switchboard.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a random loopback port, without persistence, for tests. Started and
 * stopped by the test; {@link #restart()} keeps the port so clients can reconnect to it.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private Process process;

    private RedisServerProcess(int port, List<String> extraArgs) throws IOException {
        this.port = port;
        this.extraArgs = extraArgs;
        this.dir = Files.createTempDirectory("redis-" + port + "-");
    }

    /** Starts a plain server on a free port. */
    public static RedisServerProcess start(String... extraArgs) throws IOException {
        RedisServerProcess r = new RedisServerProcess(freePort(), List.of(extraArgs));
        r.launch();
        return r;
    }

    /** Starts a server on a given port (cluster nodes need theirs known up front). */
    public static RedisServerProcess startOn(int port, String... extraArgs) throws IOException {
        RedisServerProcess r = new RedisServerProcess(port, List.of(extraArgs));
        r.launch();
        return r;
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Sends one command over a raw RESP connection and returns the reply's text. */
    public String command(String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder("*" + args.length + "\r\n");
            for (String a : args) {
                req.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            int n = in.read(buf);
            String head = n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
            if (head.startsWith("$")) { // a bulk reply may come in more than one read
                int len = Integer.parseInt(head.substring(1, head.indexOf("\r\n")));
                int want = head.indexOf("\r\n") + 2 + len + 2;
                StringBuilder all = new StringBuilder(head);
                while (len >= 0 && all.toString().getBytes(StandardCharsets.UTF_8).length < want && (n = in.read(buf)) > 0) {
                    all.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
                return all.toString();
            }
            return head;
        }
    }

    /** Stops the server as a crash would (no save) and starts it again on the same port, empty. */
    public void restart() throws IOException {
        stop();
        launch();
    }

    /** Stops the server (SIGKILL-free: SIGTERM, then waits). */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the server again after {@link #stop()}, on the same port, empty. */
    public void startAgain() throws IOException {
        launch();
    }

    private void launch() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no",
                "--loglevel", "warning"));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                if (command("PING").startsWith("+PONG")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            try {
                Thread.sleep(20); // polling for the port to open; there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IOException("redis-server did not answer PING on port " + port);
    }

    /** The redis-server binary: $REDIS_SERVER, else on the PATH (scripts/install-deps.sh installs it). */
    public static String binary() {
        String env = System.getenv("REDIS_SERVER");
        if (env != null && !env.isBlank()) {
            return env;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("redis-server not found: install it (apt-get install redis-server) or set REDIS_SERVER");
    }

    /** A port free right now on 127.0.0.1. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
