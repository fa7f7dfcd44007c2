package dev.switchboard.bench.targets;

import dev.switchboard.bench.client.Dialect;
import dev.switchboard.bench.client.PusherDialect;
import dev.switchboard.bench.client.SocketIoDialect;
import dev.switchboard.bench.client.SwitchboardDialect;
import dev.switchboard.bench.floor.FloorServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts the servers under test: the gateway's shaded jar, the Node.js and Socket.IO baselines, the floor. */
public final class Launchers {

    /**
     * Server options every bench run sets: the per-connection inbound rate limit (100/s by default) would
     * otherwise throttle the one publishing connection; the baseline has no limiter either. A --server-arg
     * naming the same option replaces it.
     */
    public static final List<String> BENCH_SERVER_ARGS = List.of("--rate-limit=1000000", "--rate-burst=1000000",
            // the load client is a handful of loopback addresses opening thousands of connections each
            "--max-connections=1000000", "--max-connections-per-address=1000000", "--max-handshakes-per-address=0",
            // bench streams creates more streams with one API key than a writer may hold by default
            "--streams-max-per-writer=1000000", "--streams-max-count=1000000");

    private Launchers() {
    }

    /**
     * Starts the gateway ({@code java [jvmOptions] -jar switchboard.jar run --dev --host 127.0.0.1 --port 0
     * [serverArgs]}) with the JDK running this tool.
     */
    public static ServerProcess gateway(Path jar, List<String> jvmOptions, List<String> serverArgs, Path log)
            throws IOException {
        return gateway("switchboard", jar, jvmOptions, serverArgs, Map.of(), log);
    }

    /** As {@link #gateway(Path, List, List, Path)}, naming the target and adding {@code env} to its environment. */
    public static ServerProcess gateway(String name, Path jar, List<String> jvmOptions, List<String> serverArgs,
                                        Map<String, String> env, Path log) throws IOException {
        return gateway(name, jar, jvmOptions, serverArgs, env, SwitchboardDialect.INSTANCE, log);
    }

    /**
     * The gateway with the bench's Pusher app ({@link PusherDialect#BENCH_APP}), spoken to in the Pusher protocol
     * at {@code /app/{key}} and published to with signed triggers.
     */
    public static ServerProcess pusherGateway(Path jar, List<String> jvmOptions, List<String> serverArgs, Path log)
            throws IOException {
        List<String> args = new ArrayList<>(serverArgs);
        args.add("--pusher-app=" + PusherDialect.BENCH_APP_ID + ":" + PusherDialect.BENCH_APP_KEY + ":"
                + PusherDialect.BENCH_APP_SECRET);
        return gateway("pusher", jar, jvmOptions, args, Map.of(), PusherDialect.BENCH_APP, log);
    }

    private static ServerProcess gateway(String name, Path jar, List<String> jvmOptions, List<String> serverArgs,
                                         Map<String, String> env, Dialect dialect, Path log) throws IOException {
        return gateway(name, List.of(), "127.0.0.1", 0, jar, jvmOptions, serverArgs, env, dialect, log);
    }

    /**
     * The gateway started through {@code prefix} (e.g. {@code ip netns exec NS}, which execs it: the process id is
     * the gateway's), listening on {@code host:port}.
     */
    public static ServerProcess gateway(String name, List<String> prefix, String host, int port, Path jar,
                                        List<String> jvmOptions, List<String> serverArgs, Path log) throws IOException {
        return gateway(name, prefix, host, port, jar, jvmOptions, serverArgs, Map.of(), SwitchboardDialect.INSTANCE, log);
    }

    private static ServerProcess gateway(String name, List<String> prefix, String host, int port, Path jar,
                                         List<String> jvmOptions, List<String> serverArgs, Map<String, String> env,
                                         Dialect dialect, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("gateway jar " + jar + " not found: build it with"
                    + " `mvn -B -pl server -am -DskipTests package`, or pass --server-jar / --url");
        }
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        // Runs outlast the default 60 s ticket: held connections must not be closed for an expired credential.
        cmd.addAll(List.of("run", "--dev", "--host", host, "--port", Integer.toString(port), "--ticket-ttl", "2h"));
        for (String a : BENCH_SERVER_ARGS) {
            String option = a.substring(0, a.indexOf('='));
            if (serverArgs.stream().noneMatch(s -> s.equals(option) || s.startsWith(option + "="))) {
                cmd.add(a);
            }
        }
        cmd.addAll(serverArgs);
        return ServerProcess.start(name, cmd, env, jar.toAbsolutePath().getParent(), log, true, dialect,
                Duration.ofSeconds(60));
    }

    /** Installs the Node baseline's locked dependencies when missing ({@code npm ci}), then starts it. */
    public static ServerProcess node(Path dir, Path log) throws IOException {
        List<String> cmd = nodeScript(dir, "ws");
        return ServerProcess.start("node", cmd, Map.of(), dir, log, false, Duration.ofSeconds(30));
    }

    /**
     * Starts the Socket.IO baseline (installing its locked dependencies when missing), alone or, with a
     * {@code redisUri}, as cluster node {@code name} on {@code @socket.io/redis-adapter}.
     */
    public static ServerProcess socketIo(Path dir, String redisUri, String name, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(nodeScript(dir, "socket.io"));
        cmd.addAll(List.of("--node-id", name));
        if (redisUri != null) {
            cmd.addAll(List.of("--redis", redisUri));
        }
        return ServerProcess.start(name, cmd, Map.of(), dir, log, false, SocketIoDialect.INSTANCE,
                Duration.ofSeconds(30));
    }

    /**
     * Starts Soketi, the open-source Pusher server, with the bench's Pusher app (installing its locked
     * dependencies when missing): the Pusher-protocol peer of the {@code pusher} target.
     */
    public static ServerProcess soketi(Path dir, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(nodeScript(dir, "@soketi/soketi"));
        cmd.addAll(List.of("--app-id", PusherDialect.BENCH_APP_ID, "--app-key", PusherDialect.BENCH_APP_KEY,
                "--app-secret", PusherDialect.BENCH_APP_SECRET));
        return ServerProcess.start("soketi", cmd, Map.of(), dir, log, false, PusherDialect.BENCH_APP,
                Duration.ofSeconds(60));
    }

    /** Starts the protocol's own Durable Streams server (installing its locked dependencies when missing). */
    public static ServerProcess durableStreams(Path dir, Path log) throws IOException {
        return ServerProcess.start("durable-streams", nodeScript(dir, "@durable-streams/server"), Map.of(), dir, log,
                false, Duration.ofSeconds(30));
    }

    /**
     * Starts the floor ({@link dev.switchboard.bench.floor.FloorServer}) in its own JVM from this tool's own
     * class path, with the JDK running this tool and the gateway's JVM options (the same heap, pre-touched, so
     * neither pays page faults the other does not). Reported as a non-JVM target: its memory is read as RSS.
     */
    public static ServerProcess floor(List<String> jvmOptions, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FloorServer.class.getName(), "--port", "0"));
        return ServerProcess.start("floor", cmd, Map.of(), Path.of("").toAbsolutePath(), log, false,
                Duration.ofSeconds(30));
    }

    /** {@code node <dir>/server.js --host 127.0.0.1 --port 0}, after {@code npm ci} if {@code module} is missing. */
    private static List<String> nodeScript(Path dir, String module) throws IOException {
        Path server = dir.resolve("server.js");
        if (!Files.isRegularFile(server)) {
            throw new IOException("baseline not found at " + server);
        }
        if (!Files.isDirectory(dir.resolve("node_modules").resolve(module))) {
            npmCi(dir);
        }
        return List.of("node", server.toAbsolutePath().toString(), "--host", "127.0.0.1", "--port", "0");
    }

    private static void npmCi(Path dir) throws IOException {
        System.err.println("Installing the Node baseline's dependencies (npm ci) in " + dir);
        // Not inheritIO(): npm sets the stdin it is given to non-blocking, and when this tool runs inside a test
        // fork that stdin is Surefire's command channel (the fork then never hears the exit acknowledgement and
        // is killed); its output would also corrupt the fork's stdout protocol. So: no stdin, output to a log.
        Path npmLog = dir.resolve("npm-ci.log");
        Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(npmLog.toFile()).start();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("npm ci failed in " + dir + " (see " + npmLog + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted during npm ci", e);
        }
    }
}
