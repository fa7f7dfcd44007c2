package dev.switchboard.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/**
 * An option's value when the command line does not give it: the environment variable {@code SWITCHBOARD_<NAME>}
 * (e.g. {@code SWITCHBOARD_PING_INTERVAL} for {@code --ping-interval}). The config file comes after the
 * environment ({@link ConfigFile#applyTo}); the built-in default last.
 */
public final class ConfigDefaults implements CommandLine.IDefaultValueProvider {

    private static final String PREFIX = "SWITCHBOARD_";

    private final Map<String, String> env;

    public ConfigDefaults(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
        if (!(argSpec instanceof CommandLine.Model.OptionSpec option)) {
            return null;
        }
        String value = env.get(variable(option.longestName()));
        return value == null || value.isEmpty() ? null : value; // an empty variable (a Secret's empty key) is unset
    }

    /** The variables this reads from. */
    public Map<String, String> env() {
        return env;
    }

    /** Whether the environment sets {@code option} (no dashes). */
    public boolean sets(String option) {
        String value = env.get(variable(option));
        return value != null && !value.isEmpty();
    }

    /** {@code SWITCHBOARD_*} variables that name no option of {@code command} (a typo the node would ignore). */
    public List<String> unknownVariables(CommandLine.Model.CommandSpec command) {
        List<String> unknown = new ArrayList<>();
        for (String name : env.keySet()) {
            if (name.startsWith(PREFIX) && command.options().stream().noneMatch(o -> variable(o.longestName()).equals(name))) {
                unknown.add(name);
            }
        }
        unknown.sort(null);
        return unknown;
    }

    /** The variable of an option: {@code --ping-interval} (or {@code ping-interval}) → {@code SWITCHBOARD_PING_INTERVAL}. */
    public static String variable(String option) {
        return PREFIX + option.replaceFirst("^--", "").toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
