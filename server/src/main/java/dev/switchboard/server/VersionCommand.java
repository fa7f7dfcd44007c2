package dev.switchboard.server;

import picocli.CommandLine.Command;

/** {@code switchboard version}: version, git revision, JDK, socket transport and TLS engine. */
@Command(name = "version", description = "Print the version, git revision, JDK, transport and TLS engine.")
final class VersionCommand extends PrintCommand {

    @Override
    String text() {
        return String.join("\n", new BuildInfo().getVersion()) + "\n";
    }
}
