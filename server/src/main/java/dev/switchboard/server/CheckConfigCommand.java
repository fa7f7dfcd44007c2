package dev.switchboard.server;

import dev.switchboard.server.config.ConfigDefaults;
import dev.switchboard.server.config.ConfigException;
import dev.switchboard.server.config.ConfigFile;
import dev.switchboard.server.config.ConfigProblem;
import dev.switchboard.server.config.GatewayConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard checkconfig FILE}: every problem of a config file, or "ok"; exit 1 when there is one. The
 * {@code SWITCHBOARD_*} variables count, as they would for a node (a Kubernetes Secret gives the ticket secret).
 */
@Command(name = "checkconfig", description = "Check a config file (with the SWITCHBOARD_* variables): list every problem (exit 1), or say it is ok.")
final class CheckConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The config file (.yaml, .yml, .json, or properties).")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ConfigProblem> problems = new ArrayList<>();
        try {
            ConfigFile config = ConfigFile.read(file);
            problems.addAll(config.problems());
            // What the node would refuse at start, judged on the values that are well-formed.
            GatewayConfig resolved = new GatewayConfig();
            ConfigDefaults env = new ConfigDefaults(GenTokenCommand.envOf(spec));
            new CommandLine(resolved).setDefaultValueProvider(env).parseArgs();
            config.applyValid(resolved, env::sets);
            problems.addAll(ConfigCheck.problems(resolved));
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        if (problems.isEmpty()) {
            out.println(file + ": ok");
            out.flush();
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        problems.forEach(p -> err.println(p.describe(file.toString())));
        err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in " + file);
        err.flush();
        return 1;
    }
}
