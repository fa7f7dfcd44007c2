package dev.switchboard.server;

import dev.switchboard.server.config.ConfigDocs;
import picocli.CommandLine.Command;

/** {@code switchboard gendocs > docs/configuration.md}: the configuration reference, for the project itself. */
@Command(name = "gendocs", hidden = true, description = "Print docs/configuration.md (generated from the options).")
final class GenDocsCommand extends PrintCommand {

    @Override
    String text() {
        return ConfigDocs.markdown();
    }
}
