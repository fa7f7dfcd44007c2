package dev.switchboard.server.config;

import dev.switchboard.server.config.YamlTree.Mapping;
import dev.switchboard.server.config.YamlTree.Node;
import dev.switchboard.server.config.YamlTree.Scalar;
import dev.switchboard.server.config.YamlTree.Sequence;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import picocli.CommandLine;

/**
 * A configuration file: YAML (or JSON) with sections that mirror the options ({@link ConfigLayout}) and channel
 * namespaces, or the older flat properties ({@code ping-interval=25s}). Everything wrong in it is collected
 * (unknown keys, wrong types, bad durations), each with its line, before anything is applied: a node never
 * starts half-configured. Values are converted by the options' own converters, so a value means the same in
 * the file, on the command line and in a {@code SWITCHBOARD_*} variable.
 */
public final class ConfigFile {

    /** One option's value(s) in the file. */
    record Value(String path, int line, List<String> texts) {
    }

    private final String name;
    private final Map<String, Value> values; // by option name, without dashes
    private final Map<String, Namespace> namespaces;
    private final List<PusherApp> pusherApps;
    private final List<ConfigProblem> problems;

    private ConfigFile(String name, Map<String, Value> values, Map<String, Namespace> namespaces,
                       List<PusherApp> pusherApps, List<ConfigProblem> problems) {
        this.name = name;
        this.values = values;
        this.namespaces = namespaces;
        this.pusherApps = pusherApps;
        this.problems = problems;
    }

    /** No file. */
    public static ConfigFile none() {
        return new ConfigFile(null, Map.of(), Map.of(), List.of(), List.of());
    }

    /** Reads {@code file}: {@code .yaml}/{@code .yml}/{@code .json} in the new format, anything else as properties. */
    public static ConfigFile read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.toString();
            throw new ConfigException(file.toString(), List.of(new ConfigProblem(0, "", "cannot read: " + why)));
        }
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) {
            return parse(file.toString(), text, lower.endsWith(".json"));
        }
        return properties(file.toString(), text);
    }

    /** Parses a YAML ({@code json}: JSON) document; {@code name} is how problems name it. */
    public static ConfigFile parse(String name, String text, boolean json) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, Value> values = new LinkedHashMap<>();
        Map<String, Namespace> namespaces = new LinkedHashMap<>();
        List<PusherApp> pusherApps = new ArrayList<>();
        Mapping root;
        try (Reader in = new StringReader(text)) {
            root = YamlTree.parse(in, json);
        } catch (ConfigException e) {
            throw e.in(name);
        } catch (IOException e) {
            throw new ConfigException(name, List.of(new ConfigProblem(0, "", e.getMessage())));
        }
        for (YamlTree.Entry section : root.entries().values()) {
            if (!ConfigLayout.isSection(section.key())) {
                problems.add(new ConfigProblem(section.line(), section.key(), "unknown section (known: "
                        + String.join(", ", sectionNames()) + ")"));
                continue;
            }
            if (section.key().equals("namespaces")) {
                NamespaceReader.read(section.value(), namespaces, problems);
                continue;
            }
            if (!(section.value() instanceof Mapping keys)) {
                if (!(section.value() instanceof Scalar s && s.text() == null)) {
                    problems.add(new ConfigProblem(section.line(), section.key(), "must be a mapping of keys"));
                }
                continue;
            }
            for (YamlTree.Entry key : keys.entries().values()) {
                String path = section.key() + "." + key.key();
                String option = ConfigLayout.option(section.key(), key.key());
                if (option == null) {
                    problems.add(new ConfigProblem(key.line(), path, "unknown key (known in " + section.key() + ": "
                            + String.join(", ", keysOf(section.key())) + ")"));
                    continue;
                }
                if (key.value() instanceof Scalar s && s.text() == null) {
                    continue; // "key:" with no value leaves the default
                }
                if (path.equals("pusher.apps") && key.value() instanceof Sequence apps) {
                    apps = PusherAppReader.read(apps, pusherApps, problems);
                    if (apps.items().isEmpty()) {
                        continue; // every app was a mapping
                    }
                    List<String> specs = scalars(apps, path, problems);
                    if (specs != null) {
                        values.put(option, new Value(path, key.line(), specs));
                    }
                    continue;
                }
                List<String> texts = scalars(key.value(), path, problems);
                if (texts != null) {
                    values.put(option, new Value(path, key.line(), texts));
                }
            }
        }
        return new ConfigFile(name, values, namespaces, pusherApps, problems);
    }

    private static ConfigFile properties(String name, String text) {
        Properties props = new Properties();
        try {
            props.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(name, List.of(new ConfigProblem(0, "", "not a properties file: " + e.getMessage())));
        }
        Map<String, Value> values = new LinkedHashMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        for (String key : props.stringPropertyNames()) {
            if (ConfigLayout.path(key) == null) {
                problems.add(new ConfigProblem(0, key, "unknown option"));
            } else {
                values.put(key, new Value(key, 0, List.of(props.getProperty(key))));
            }
        }
        return new ConfigFile(name, values, Map.of(), List.of(), problems);
    }

    /** A scalar, or a sequence of scalars, as texts; null (and a problem) for anything else. */
    static List<String> scalars(Node node, String path, List<ConfigProblem> problems) {
        if (node instanceof Scalar s) {
            return s.text() == null ? List.of() : List.of(s.text());
        }
        if (node instanceof Sequence seq) {
            List<String> out = new ArrayList<>();
            for (Node item : seq.items()) {
                if (!(item instanceof Scalar s) || s.text() == null) {
                    problems.add(new ConfigProblem(item.line(), path, "a list of plain values is expected here"));
                    return null;
                }
                out.add(s.text());
            }
            return out;
        }
        problems.add(new ConfigProblem(node.line(), path, "a value (or a list of values) is expected, not a mapping"));
        return null;
    }

    /** How problems name this file (null: no file). */
    public String name() {
        return name;
    }

    public Map<String, Namespace> namespaces() {
        return namespaces;
    }

    /** Whether the file sets {@code option} (no dashes). */
    public boolean sets(String option) {
        return values.containsKey(option);
    }

    /**
     * Every problem in the file: its shape (found while reading) and its values (each converted as the option
     * would convert it). Empty when the file can be used.
     */
    public List<ConfigProblem> problems() {
        List<ConfigProblem> all = new ArrayList<>(problems);
        values.forEach((option, value) -> {
            try {
                convert(option, value);
            } catch (CommandLine.ParameterException e) {
                all.add(new ConfigProblem(value.line(), value.path(), plain(e.getMessage())));
            }
        });
        all.sort(java.util.Comparator.comparingInt(ConfigProblem::line));
        return all;
    }

    /**
     * Sets in {@code config} every option the file gives, except those {@code givenElsewhere} says the command
     * line or the environment set (they win).
     *
     * @throws ConfigException with every problem, when there is any (nothing is applied then)
     */
    public void applyTo(GatewayConfig config, Predicate<String> givenElsewhere) {
        List<ConfigProblem> all = problems();
        if (!all.isEmpty()) {
            throw new ConfigException(name, all);
        }
        applyValid(config, givenElsewhere);
    }

    /** Sets the values that convert and skips the others: how {@code checkconfig} checks the rest further. */
    public void applyValid(GatewayConfig config, Predicate<String> givenElsewhere) {
        CommandLine.Model.CommandSpec target = CommandLine.Model.CommandSpec.forAnnotatedObject(config);
        values.forEach((option, value) -> {
            if (!givenElsewhere.test(option)) {
                try {
                    target.findOption(option).setValue(convert(option, value));
                } catch (CommandLine.ParameterException e) {
                    // reported by problems()
                }
            }
        });
        config.namespaces.putAll(namespaces);
        config.pusherAppSettings.addAll(pusherApps);
    }

    /** The value as the option holds it, parsed exactly as the command line would (a list: the option repeated). */
    private static Object convert(String option, Value value) {
        CommandLine cli = new CommandLine(new GatewayConfig()).setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.Model.OptionSpec spec = cli.getCommandSpec().findOption(option);
        List<String> texts = value.texts();
        if (spec.typeInfo().isBoolean()) {
            String v = texts.size() == 1 ? texts.get(0).toLowerCase(Locale.ROOT) : "";
            if (!v.equals("true") && !v.equals("false")) {
                throw new CommandLine.ParameterException(cli, "'" + String.join(",", texts) + "' is not true or false");
            }
            return Boolean.valueOf(v);
        }
        List<String> args = new ArrayList<>();
        if (spec.isMultiValue()) {
            texts.forEach(t -> args.add("--" + option + "=" + t));
        } else if (texts.size() > 1 && spec.type() == String.class) {
            args.add("--" + option + "=" + String.join(",", texts)); // a comma-separated glob list
        } else if (texts.size() == 1) {
            args.add("--" + option + "=" + texts.get(0));
        } else {
            throw new CommandLine.ParameterException(cli, texts.isEmpty() ? "a value is expected" : "one value is expected, not a list");
        }
        cli.parseArgs(args.toArray(String[]::new));
        return spec.getValue();
    }

    /** picocli's message without its option prefix ("Invalid value for option '--port': "). */
    private static String plain(String message) {
        return message.replaceFirst("^Invalid value for option '--[a-z0-9-]+'(?: \\([^)]*\\))?: ", "");
    }

    private static List<String> sectionNames() {
        List<String> names = new ArrayList<>();
        ConfigLayout.sections().forEach(s -> names.add(s.name()));
        names.addAll(ConfigLayout.STRUCTURED);
        return names;
    }

    private static List<String> keysOf(String section) {
        return ConfigLayout.sections().stream().filter(s -> s.name().equals(section)).findFirst()
                .map(s -> List.copyOf(s.keys().keySet())).orElse(List.of());
    }
}
