package dev.switchboard.server;

import dev.switchboard.server.config.ConfigDocs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code switchboard gendocs > docs/configuration.md}: the configuration reference, for the project itself. */
@Command(name = "gendocs", hidden = true, description = "Print docs/configuration.md (generated from the options).")
final class GenDocsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(ConfigDocs.markdown());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
