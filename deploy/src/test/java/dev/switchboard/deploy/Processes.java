package dev.switchboard.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the tools the deployment tests drive (podman, helm, the gateway's own CLI), bounded in time. */
final class Processes {

    /** What a command did. */
    record Result(int code, String out) {
    }

    private Processes() {
    }

    static Result run(Duration limit, Map<String, String> env, List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(root().toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            Path out = Files.createTempFile("deploy-test", ".out");
            pb.redirectOutput(out.toFile());
            Process p = pb.start();
            if (!p.waitFor(limit.seconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " took more than " + limit.seconds() + " s: " + Files.readString(out));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            return new Result(p.exitValue(), text);
        } catch (IOException e) {
            throw new IllegalStateException(command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Result run(Duration limit, String... command) {
        return run(limit, Map.of(), List.of(command));
    }

    /** Runs and insists on exit 0. */
    static String ok(Duration limit, String... command) {
        Result r = run(limit, command);
        if (r.code() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.code() + ":\n" + r.out());
        }
        return r.out();
    }

    /** A time limit in seconds. */
    record Duration(long seconds) {
        static Duration seconds(long s) {
            return new Duration(s);
        }
    }

    /** The repository's root (Maven runs the tests in deploy/). */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("deploy/Containerfile"))) {
            here = here.getParent();
        }
        if (here == null) {
            throw new IllegalStateException("the repository root is not above " + Path.of("").toAbsolutePath());
        }
        return here;
    }

    /** The java of the JDK running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
