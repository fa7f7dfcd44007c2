package dev.switchboard.server.config;

import dev.switchboard.server.config.YamlTree.Mapping;
import dev.switchboard.server.config.YamlTree.Node;
import dev.switchboard.server.config.YamlTree.Scalar;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the {@code namespaces} section: {@code name: {history: {size, ttl}, presence, joinLeave, …}}. */
final class NamespaceReader {

    private static final Set<String> KEYS = Set.of("history", "presence", "joinLeave", "recover", "clientPublish",
            "subscribe", "publish", "anonymousSubscribe");

    private NamespaceReader() {
    }

    static void read(Node section, Map<String, Namespace> out, List<ConfigProblem> problems) {
        if (section instanceof Scalar s && s.text() == null) {
            return;
        }
        if (!(section instanceof Mapping names)) {
            problems.add(new ConfigProblem(section.line(), "namespaces", "must be a mapping of namespace names"));
            return;
        }
        for (YamlTree.Entry ns : names.entries().values()) {
            String path = "namespaces." + ns.key();
            if (!ns.key().matches("[A-Za-z0-9_.-]{1,64}")) {
                problems.add(new ConfigProblem(ns.line(), path, "a namespace name is letters, digits, '_', '.' or '-'"));
                continue;
            }
            Mapping options = ns.value() instanceof Mapping m ? m : null;
            if (options == null) {
                if (!(ns.value() instanceof Scalar s && s.text() == null)) {
                    problems.add(new ConfigProblem(ns.line(), path, "must be a mapping of namespace options"));
                    continue;
                }
                options = new Mapping(Map.of(), ns.line());
            }
            int before = problems.size();
            Reader r = new Reader(path, options, problems);
            for (YamlTree.Entry e : options.entries().values()) {
                if (!KEYS.contains(e.key())) {
                    problems.add(new ConfigProblem(e.line(), path + "." + e.key(), "unknown namespace option (known: "
                            + String.join(", ", KEYS.stream().sorted().toList()) + ")"));
                }
            }
            Namespace namespace = new Namespace(ns.key(), r.historySize(), r.historyTtl(), r.bool("presence"),
                    r.bool("joinLeave"), r.bool("recover"), r.bool("clientPublish"), r.list("subscribe"),
                    r.list("publish"), r.list("anonymousSubscribe"));
            if (problems.size() == before) {
                out.put(ns.key(), namespace);
            }
        }
    }

    /** Typed reads of one namespace's options, each problem recorded with its line. */
    private record Reader(String path, Mapping options, List<ConfigProblem> problems) {

        Reader {
            YamlTree.Entry h = options.entries().get("history");
            if (h != null && h.value() instanceof Mapping m) {
                for (String key : m.entries().keySet()) {
                    if (!key.equals("size") && !key.equals("ttl")) {
                        problems.add(new ConfigProblem(m.entries().get(key).line(), path + ".history." + key,
                                "unknown history option (known: size, ttl)"));
                    }
                }
            }
        }

        Boolean bool(String key) {
            YamlTree.Entry e = options.entries().get(key);
            if (e == null) {
                return null;
            }
            String text = e.value() instanceof Scalar s && s.text() != null ? s.text().toLowerCase(Locale.ROOT) : "";
            if (!text.equals("true") && !text.equals("false")) {
                problems.add(new ConfigProblem(e.line(), path + "." + key, "must be true or false"));
                return null;
            }
            return Boolean.valueOf(text);
        }

        List<String> list(String key) {
            YamlTree.Entry e = options.entries().get(key);
            return e == null ? null : ConfigFile.scalars(e.value(), path + "." + key, problems);
        }

        private Mapping history() {
            YamlTree.Entry e = options.entries().get("history");
            if (e == null) {
                return null;
            }
            if (e.value() instanceof Mapping m) {
                return m;
            }
            return null; // reported once, by historySize()
        }

        Integer historySize() {
            YamlTree.Entry whole = options.entries().get("history");
            if (whole != null && !(whole.value() instanceof Mapping)) {
                problems.add(new ConfigProblem(whole.line(), path + ".history", "must be {size: n, ttl: duration}"));
            }
            Mapping h = history();
            YamlTree.Entry e = h == null ? null : h.entries().get("size");
            if (e == null) {
                return null;
            }
            try {
                int size = Integer.parseInt(e.value() instanceof Scalar s && s.text() != null ? s.text() : "");
                if (size >= 0) {
                    return size;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.add(new ConfigProblem(e.line(), path + ".history.size", "must be a whole number >= 0"));
            return null;
        }

        Duration historyTtl() {
            Mapping h = history();
            YamlTree.Entry e = h == null ? null : h.entries().get("ttl");
            if (e == null) {
                return null;
            }
            try {
                return new DurationConverter().convert(e.value() instanceof Scalar s && s.text() != null ? s.text() : "");
            } catch (Exception ex) {
                problems.add(new ConfigProblem(e.line(), path + ".history.ttl", "not a duration (e.g. 30s, 10m, 2h): "
                        + ex.getMessage()));
                return null;
            }
        }
    }
}
