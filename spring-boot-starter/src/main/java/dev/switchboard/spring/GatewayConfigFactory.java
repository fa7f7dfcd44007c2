package dev.switchboard.spring;

import dev.switchboard.server.config.ConfigDefaults;
import dev.switchboard.server.config.ConfigFile;
import dev.switchboard.server.config.ConfigSources;
import dev.switchboard.server.config.GatewayConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/**
 * Turns {@link SwitchboardProperties} into the gateway's {@link GatewayConfig} through the gateway's own
 * sources: each property becomes the {@code SWITCHBOARD_*} value of its option, so it is converted and checked
 * exactly as an environment variable would be (durations, lists, booleans), and a name that is no option is
 * refused at start-up instead of ignored.
 */
final class GatewayConfigFactory {

    private GatewayConfigFactory() {
    }

    static GatewayConfig create(SwitchboardProperties p) {
        Map<String, String> values = new LinkedHashMap<>();
        p.getOptions().forEach((name, value) -> values.put(ConfigDefaults.variable(name), value));
        put(values, "host", p.getHost());
        put(values, "port", p.getPort());
        put(values, "node-id", p.getNodeId());
        put(values, "dev", p.isDev() ? "true" : null);
        put(values, "token-secret", p.getTokenSecret());
        put(values, "token-jwks-url", p.getTokenJwksUrl());
        put(values, "api-key", join(p.getApiKeys()));
        put(values, "allowed-origins", join(p.getAllowedOrigins()));
        put(values, "endpoint", join(p.getEndpoints()));
        put(values, "engine", p.getEngine());
        put(values, "redis", p.getRedis());
        List<String> unknown = new ConfigDefaults(values)
                .unknownVariables(CommandLine.Model.CommandSpec.forAnnotatedObject(new GatewayConfig()));
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("switchboard.options names no gateway option: " + unknown.stream()
                    .map(v -> v.substring("SWITCHBOARD_".length()).toLowerCase(Locale.ROOT).replace('_', '-')).toList()
                    + " (the options are listed in docs/configuration.md, without their dashes)");
        }
        ConfigFile file = p.getConfigFile() == null ? ConfigFile.none() : ConfigFile.read(p.getConfigFile());
        try {
            return ConfigSources.resolve(new String[0], values, file);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalStateException("switchboard.*: " + e.getMessage(), e);
        }
    }

    private static void put(Map<String, String> values, String option, Object value) {
        if (value != null) {
            values.put(ConfigDefaults.variable(option), value.toString());
        }
    }

    private static String join(List<String> items) {
        return items.isEmpty() ? null : String.join(",", items);
    }
}
