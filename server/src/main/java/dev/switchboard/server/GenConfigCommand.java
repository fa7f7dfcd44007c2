package dev.switchboard.server;

import dev.switchboard.server.config.ConfigDocs;
import picocli.CommandLine.Command;

/** {@code switchboard genconfig}: a commented YAML of every option at its default. */
@Command(name = "genconfig", description = "Print a commented YAML config file of every option and its default.")
final class GenConfigCommand extends PrintCommand {

    @Override
    String text() {
        return ConfigDocs.genconfig();
    }
}
