package dev.switchboard.server.config;

import java.util.Map;
import picocli.CommandLine;

/**
 * Where a node's settings come from, highest first: the command line, {@code SWITCHBOARD_*} variables, the
 * config file, the built-in defaults.
 */
public final class ConfigSources {

    private ConfigSources() {
    }

    /**
     * Completes {@code config}, already parsed from a command line ({@code parsed}, with {@code env} as its
     * default value provider), with what {@code file} sets and neither of them did.
     *
     * @throws ConfigException with every problem of the file
     */
    public static void complete(GatewayConfig config, CommandLine.ParseResult parsed, ConfigDefaults env, ConfigFile file) {
        file.applyTo(config, option -> parsed.hasMatchedOption("--" + option) || env.sets(option));
    }

    /** Parses {@code args} into a new config, then completes it from {@code env} and {@code file} (for tests and tools). */
    public static GatewayConfig resolve(String[] args, Map<String, String> env, ConfigFile file) {
        GatewayConfig config = new GatewayConfig();
        ConfigDefaults defaults = new ConfigDefaults(env);
        CommandLine cli = new CommandLine(config).setDefaultValueProvider(defaults).setCaseInsensitiveEnumValuesAllowed(true);
        complete(config, cli.parseArgs(args), defaults, file);
        return config;
    }
}
