package dev.switchboard.bench.targets;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project checkout (for the gateway jar and the baselines) wherever the tool is started from. */
public final class Repo {

    private Repo() {
    }

    /**
     * The repository root: the {@code switchboard.repo} property, else two levels above the bench jar
     * ({@code bench/target/switchboard-bench.jar}), else the working directory.
     */
    public static Path root() {
        String prop = System.getProperty("switchboard.repo");
        if (prop != null) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        try {
            Path code = Path.of(Repo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path candidate = code.getParent() == null ? null : code.getParent().getParent();
            if (candidate != null && candidate.getParent() != null
                    && Files.isDirectory(candidate.getParent().resolve("bench").resolve("baselines"))) {
                return candidate.getParent();
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    /** The default gateway jar. */
    public static Path gatewayJar() {
        return root().resolve("server/target/switchboard.jar");
    }

    /** The Socket.IO baseline's folder. */
    public static Path socketIoBaseline() {
        return root().resolve("bench/baselines/socketio");
    }

    /** The Soketi baseline's folder (the Pusher-protocol peer). */
    public static Path soketiBaseline() {
        return root().resolve("bench/baselines/soketi");
    }

    /** The Durable Streams reference server's folder. */
    public static Path durableStreamsBaseline() {
        return root().resolve("bench/baselines/durable-streams");
    }

    /** The Node baseline's folder. */
    public static Path nodeBaseline() {
        return root().resolve("bench/baselines/node");
    }
}
