package dev.switchboard.server.config;

import dev.switchboard.protocol.Durations;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The configuration written out from the options' own metadata ({@link ConfigLayout} and picocli's
 * descriptions and defaults): {@code genconfig}'s commented YAML, docs/configuration.md, and
 * {@code --print-config}'s effective values with secrets masked. One source, so they cannot drift.
 */
public final class ConfigDocs {

    /** Options whose values are secrets: never printed. */
    public static final Set<String> SECRETS = Set.of("token-secret", "token-api-key", "api-key", "webhook-secret",
            "admin-password", "admin-key", "llm-api-key");

    private ConfigDocs() {
    }

    /** A YAML file of every option at its default, each with its description: {@code switchboard genconfig}. */
    public static String genconfig() {
        CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.forAnnotatedObject(new GatewayConfig());
        StringBuilder out = new StringBuilder();
        out.append("# Switchboard configuration (switchboard genconfig). Every option at its default; a key left\n")
                .append("# out keeps its default. Flags (--port) and SWITCHBOARD_* variables (SWITCHBOARD_PORT) override\n")
                .append("# this file. Check a file with: switchboard checkconfig FILE\n");
        for (ConfigLayout.Section section : ConfigLayout.sections()) {
            out.append("\n# ").append(section.title()).append('\n').append(section.name()).append(":\n");
            section.keys().forEach((key, option) -> {
                OptionSpec o = spec.findOption(option);
                for (String line : wrap(description(o) + " [--" + option + "]", 100)) {
                    out.append("  # ").append(line).append('\n');
                }
                String value = yaml(o.initialValue());
                out.append(value == null ? "  # " + key + ":\n" : "  " + key + ": " + value + "\n");
            });
        }
        out.append("""

                # Channel namespaces: options for every channel named <namespace>:..., over the flat options above.
                # history {size, ttl}; presence (lists); joinLeave (events; default: as presence); recover (missed
                # publications on resubscribe; default true); clientPublish (false: only backends publish; default
                # true); subscribe / publish / anonymousSubscribe: globs after the prefix a ticket without a
                # 'channels' claim (or an anonymous connection) gets here, instead of channels.subscribe/publish.
                namespaces: {}
                #  chat:
                #    history: {size: 1000, ttl: 10m}
                #    presence: true
                #    joinLeave: true
                #    recover: true
                #    clientPublish: true
                #    subscribe: ["*"]
                #    publish: ["*"]
                """);
        return out.toString();
    }

    /** docs/configuration.md: every section and key with its flag, variable, default and description. */
    public static String markdown() {
        CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.forAnnotatedObject(new GatewayConfig());
        StringBuilder out = new StringBuilder();
        out.append("# Configuration\n\n")
                .append("<!-- Generated from the options' metadata (switchboard gendocs); ConfigFileTest keeps it true. -->\n\n")
                .append("Every option can be set in the config file (`--config switchboard.yaml`; YAML, or JSON), as an\n")
                .append("environment variable, or as a flag; a flag wins over a variable, a variable over the file, the file\n")
                .append("over the default. `switchboard genconfig` writes this whole file with its defaults;\n")
                .append("`switchboard checkconfig FILE` lists every problem in one (unknown keys, wrong types, bad durations,\n")
                .append("with their lines) and exits 1; `switchboard run --print-config` prints what a node would use, secrets\n")
                .append("masked. Durations: `500ms`, `25s`, `5m`, `2h`. Lists: a YAML list or a comma-separated string.\n")
                .append("A properties file (`ping-interval=25s`, keys are the flag names) is still read by `--config`.\n");
        for (ConfigLayout.Section section : ConfigLayout.sections()) {
            out.append("\n## `").append(section.name()).append("`: ").append(section.title()).append("\n\n")
                    .append("| key | flag / variable | default | |\n|---|---|---|---|\n");
            section.keys().forEach((key, option) -> {
                OptionSpec o = spec.findOption(option);
                String value = yaml(o.initialValue());
                out.append("| `").append(key).append("` | `--").append(option).append("`<br>`")
                        .append(variable(option)).append("` | ").append(value == null ? "" : "`" + value + "`")
                        .append(" | ").append(description(o).replace("|", "\\|")).append(" |\n");
            });
        }
        out.append("""

                ## `namespaces`: per-namespace channel options

                A channel named `chat:room-1` belongs to the namespace `chat`. Each namespace may set:

                | key | meaning | default |
                |---|---|---|
                | `history` | `{size, ttl}`: publications kept, and for how long | `history.size` / `history.ttl` |
                | `presence` | presence lists are kept and may be read | `channels.presence` globs |
                | `joinLeave` | subscribers are told when a user joins or leaves | as `presence` |
                | `recover` | a returning client may recover what it missed (`since`) | `true` |
                | `clientPublish` | clients may publish at all (their permissions permitting); `false`: only backends | `true` |
                | `subscribe` | globs after the prefix a ticket without a `channels` claim may subscribe to | `channels.subscribe` |
                | `publish` | the same for publishing | `channels.publish` |
                | `anonymousSubscribe` | what anonymous connections may subscribe to | `channels.anonymousSubscribe` |

                ```yaml
                namespaces:
                  chat: {history: {size: 1000, ttl: 10m}, presence: true, joinLeave: true, subscribe: ["*"], publish: ["*"]}
                  news: {history: {size: 50, ttl: 1h}, clientPublish: false, anonymousSubscribe: ["*"]}
                ```

                The flat options (`channels.*`, `history.rules`, `--presence-channels`, `--default-subscribe`, …) keep
                working: they are the shorthand for channels of no configured namespace.
                """);
        return out.toString();
    }

    /** The effective configuration as YAML, secrets masked: {@code --print-config}. */
    public static String effective(GatewayConfig config) {
        CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.forAnnotatedObject(config);
        StringBuilder out = new StringBuilder();
        for (ConfigLayout.Section section : ConfigLayout.sections()) {
            out.append(section.name()).append(":\n");
            section.keys().forEach((key, option) -> {
                Object value = spec.findOption(option).getValue();
                String text = SECRETS.contains(option) && value != null && !(value instanceof Collection<?> c && c.isEmpty())
                        ? "\"********\"" : yaml(masked(option, value));
                out.append("  ").append(key).append(": ").append(text == null ? "null" : text).append('\n');
            });
        }
        out.append("namespaces:");
        if (config.namespaces.isEmpty()) {
            out.append(" {}\n");
        } else {
            out.append('\n');
            config.namespaces.values().forEach(ns -> out.append("  ").append(ns.name()).append(": ")
                    .append(namespace(ns)).append('\n'));
        }
        return out.toString();
    }

    private static Object masked(String option, Object value) {
        if (option.equals("redis") && value instanceof String uri) {
            return uri.replaceAll("//[^@/]*@", "//****@"); // a password in the URI
        }
        if (option.equals("kafka-property") && value instanceof List<?> props) {
            return props.stream().map(p -> {
                String s = String.valueOf(p);
                int eq = s.indexOf('=');
                return eq > 0 && s.substring(0, eq).matches("(?i).*(password|secret|jaas|token).*")
                        ? s.substring(0, eq + 1) + "********" : s;
            }).toList();
        }
        return value;
    }

    private static String namespace(Namespace ns) {
        StringBuilder s = new StringBuilder("{");
        if (ns.historySize() != null || ns.historyTtl() != null) {
            s.append("history: {");
            if (ns.historySize() != null) {
                s.append("size: ").append(ns.historySize());
            }
            if (ns.historyTtl() != null) {
                s.append(ns.historySize() != null ? ", " : "").append("ttl: ").append(Durations.format(ns.historyTtl()));
            }
            s.append("}, ");
        }
        Map<String, Object> flags = new java.util.LinkedHashMap<>();
        flags.put("presence", ns.presence());
        flags.put("joinLeave", ns.joinLeave());
        flags.put("recover", ns.recover());
        flags.put("clientPublish", ns.clientPublish());
        flags.put("subscribe", ns.subscribe());
        flags.put("publish", ns.publish());
        flags.put("anonymousSubscribe", ns.anonymousSubscribe());
        flags.forEach((k, v) -> {
            if (v != null) {
                s.append(k).append(": ").append(yaml(v)).append(", ");
            }
        });
        if (s.length() > 1) {
            s.setLength(s.length() - 2);
        }
        return s.append('}').toString();
    }

    /** {@code SWITCHBOARD_PING_INTERVAL} for {@code ping-interval}. */
    public static String variable(String option) {
        return "SWITCHBOARD_" + option.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    private static String description(OptionSpec o) {
        String text = String.join(" ", o.description());
        Object initial = o.initialValue();
        String shown = initial == null ? "" : initial instanceof Duration d ? Durations.format(d)
                : initial instanceof Collection<?> c ? c.stream().map(String::valueOf).collect(Collectors.joining(","))
                : String.valueOf(initial);
        return text.replace("${DEFAULT-VALUE}", shown);
    }

    /** A value as YAML text: null for unset. */
    static String yaml(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Duration d) {
            return Durations.format(d);
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(v -> yaml(v)).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        String s = String.valueOf(value);
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > width && !line.isEmpty()) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(word);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
