package dev.switchboard.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;

/**
 * Where an option's value comes from when the command line does not give it: the environment variable
 * {@code SWITCHBOARD_<NAME>} (e.g. {@code SWITCHBOARD_PING_INTERVAL} for {@code --ping-interval}), then the
 * config file's {@code <name>} key (e.g. {@code ping-interval=25s}), then the built-in default.
 */
public final class ConfigDefaults implements CommandLine.IDefaultValueProvider {

    private final Map<String, String> env;
    private final Properties file;

    public ConfigDefaults(Map<String, String> env, Path configFile) {
        this.env = env;
        this.file = new Properties();
        if (configFile != null) {
            try (Reader in = Files.newBufferedReader(configFile)) {
                file.load(in);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(new CommandLine(new Object()),
                        "cannot read config file " + configFile + ": " + e.getMessage());
            }
        }
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
        if (!(argSpec instanceof CommandLine.Model.OptionSpec option)) {
            return null;
        }
        String name = option.longestName().replaceFirst("^--", "");
        String fromEnv = env.get("SWITCHBOARD_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
        if (fromEnv != null) {
            return fromEnv;
        }
        return file.getProperty(name);
    }
}
