package dev.switchboard.server;

import dev.switchboard.server.config.ConfigDefaults;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code switchboard} command line: {@code run} starts a node (the default command); {@code checkconfig},
 * {@code genconfig}, {@code gentoken} and {@code version} are the operator's tools.
 */
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = BuildInfo.class,
        description = "A real-time WebSocket gateway.",
        subcommands = {RunCommand.class, CheckConfigCommand.class, GenConfigCommand.class, GenTokenCommand.class,
            VersionCommand.class, GenDocsCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        int code = execute(args, System.getenv());
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs a command line; {@code env} supplies the {@code SWITCHBOARD_*} variables. Returns the exit code. */
    static int execute(String[] args, Map<String, String> env) {
        return commandLine(env).execute(withDefaultCommand(args));
    }

    /** The same, writing to {@code out} and {@code err} (for tests). */
    static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return commandLine(env).setOut(out).setErr(err).execute(withDefaultCommand(args));
    }

    static CommandLine commandLine(Map<String, String> env) {
        return new CommandLine(new Main())
                .setDefaultValueProvider(new ConfigDefaults(env))
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** {@code run} is the default command: {@code switchboard --port 9000} is {@code switchboard run --port 9000}. */
    private static String[] withDefaultCommand(String[] args) {
        if (args.length == 0 || args[0].startsWith("--") && !args[0].equals("--help") && !args[0].equals("--version")) {
            String[] withRun = new String[args.length + 1];
            withRun[0] = "run";
            System.arraycopy(args, 0, withRun, 1, args.length);
            return withRun;
        }
        return args;
    }
}
