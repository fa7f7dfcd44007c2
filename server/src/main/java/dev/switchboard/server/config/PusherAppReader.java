package dev.switchboard.server.config;

import dev.switchboard.server.config.YamlTree.Mapping;
import dev.switchboard.server.config.YamlTree.Node;
import dev.switchboard.server.config.YamlTree.Scalar;
import dev.switchboard.server.config.YamlTree.Sequence;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the mappings of {@code pusher.apps}: {@code {id, key, secret, clientEvents, webhookUrl}} (strings
 * {@code ID:KEY:SECRET} are left to the option).
 */
final class PusherAppReader {

    private static final Set<String> KEYS = Set.of("id", "key", "secret", "clientEvents", "webhookUrl");

    private PusherAppReader() {
    }

    /** Adds the mapping items to {@code out}; returns the items that are not mappings. */
    static Sequence read(Sequence apps, List<PusherApp> out, List<ConfigProblem> problems) {
        List<Node> rest = new ArrayList<>();
        for (Node item : apps.items()) {
            if (!(item instanceof Mapping m)) {
                rest.add(item);
                continue;
            }
            String path = "pusher.apps[" + (out.size() + rest.size()) + "]";
            int before = problems.size();
            for (YamlTree.Entry e : m.entries().values()) {
                if (!KEYS.contains(e.key())) {
                    problems.add(new ConfigProblem(e.line(), path + "." + e.key(),
                            "unknown key (known: id, key, secret, clientEvents, webhookUrl)"));
                }
            }
            String id = text(m, "id", path, problems, true);
            String key = text(m, "key", path, problems, true);
            String secret = text(m, "secret", path, problems, true);
            String events = text(m, "clientEvents", path, problems, false);
            String webhook = text(m, "webhookUrl", path, problems, false);
            Boolean clientEvents = null;
            if (events != null) {
                String v = events.toLowerCase(Locale.ROOT);
                if (!v.equals("true") && !v.equals("false")) {
                    problems.add(new ConfigProblem(m.entries().get("clientEvents").line(), path + ".clientEvents",
                            "must be true or false"));
                } else {
                    clientEvents = Boolean.valueOf(v);
                }
            }
            URI url = null;
            if (webhook != null) {
                try {
                    url = URI.create(webhook);
                    if (url.getScheme() == null || !url.getScheme().startsWith("http")) {
                        throw new IllegalArgumentException("not an http(s) URL");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(new ConfigProblem(m.entries().get("webhookUrl").line(), path + ".webhookUrl",
                            "'" + webhook + "' is not an http(s) URL"));
                }
            }
            if (problems.size() == before) {
                out.add(new PusherApp(id, key, secret, clientEvents, url));
            }
        }
        return new Sequence(rest, apps.line());
    }

    private static String text(Mapping m, String key, String path, List<ConfigProblem> problems, boolean required) {
        YamlTree.Entry e = m.entries().get(key);
        if (e == null || e.value() instanceof Scalar s && s.text() == null) {
            if (required) {
                problems.add(new ConfigProblem(m.line(), path + "." + key, "is required"));
            }
            return null;
        }
        if (e.value() instanceof Scalar s) {
            return s.text();
        }
        problems.add(new ConfigProblem(e.line(), path + "." + key, "a value is expected"));
        return null;
    }
}
