package dev.switchboard.bench.targets;

import dev.switchboard.bench.client.Dialect;
import dev.switchboard.bench.client.SwitchboardDialect;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server this tool started as a child process: it waits for the "listening on http://host:port" line, copies
 * all output to a log file, and stops the server with SIGTERM (then SIGKILL after a grace period) on close.
 */
public class ServerProcess extends Target {

    /** The listening line both servers print; the same regex the project documents for the gateway. */
    static final Pattern LISTENING = Pattern.compile("listening on (https?)://([^:\\s]+):(\\d+)");

    private final Process process;
    private final String description;
    private final boolean jvm;
    private final Dialect dialect;
    private final Thread exitHook;

    private ServerProcess(String name, URI http, Process process, String description, boolean jvm, Dialect dialect) {
        super(name, http);
        this.dialect = dialect;
        this.process = process;
        this.exitHook = ChildProcesses.stopAtExit(process, name);
        this.description = description;
        this.jvm = jvm;
    }

    /**
     * Starts {@code command} in {@code dir} with {@code env} added to its environment, logs its output to
     * {@code log} and returns once it printed its listening line (or fails after {@code startTimeout}).
     */
    static ServerProcess start(String name, List<String> command, Map<String, String> env, Path dir, Path log,
                               boolean jvm, java.time.Duration startTimeout) throws IOException {
        return start(name, command, env, dir, log, jvm, SwitchboardDialect.INSTANCE, startTimeout);
    }

    /** As above, for a server the load client speaks to in {@code dialect}. */
    static ServerProcess start(String name, List<String> command, Map<String, String> env, Path dir, Path log,
                               boolean jvm, Dialect dialect, java.time.Duration startTimeout) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<URI> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(p, log, listening), name + "-output");
        pump.setDaemon(true);
        pump.start();
        try {
            URI http = listening.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ServerProcess(name, http, p, String.join(" ", command), jvm, dialect);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while starting " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IOException(name + " did not print its listening line within " + startTimeout
                    + " (see " + log + "): " + e.getMessage(), e);
        }
    }

    private static void pump(Process p, Path log, CompletableFuture<URI> listening) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                Matcher m = LISTENING.matcher(line);
                if (!listening.isDone() && m.find()) {
                    listening.complete(URI.create(m.group(1) + "://" + m.group(2) + ":" + m.group(3)));
                }
            }
        } catch (IOException e) {
            listening.completeExceptionally(e);
        }
        listening.completeExceptionally(new IOException("the process closed its output (exited?)"));
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public boolean isJvm() {
        return jvm;
    }

    @Override
    public String describe() {
        return name() + " pid " + process.pid() + " at " + http() + ": " + description;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, exitHook);
    }
}
