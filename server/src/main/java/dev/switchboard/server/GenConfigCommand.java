package dev.switchboard.server;

import dev.switchboard.server.config.ConfigDocs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code switchboard genconfig}: a commented YAML of every option at its default. */
@Command(name = "genconfig", description = "Print a commented YAML config file of every option and its default.")
final class GenConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(ConfigDocs.genconfig());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
