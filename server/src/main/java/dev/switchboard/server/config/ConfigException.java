package dev.switchboard.server.config;

import java.util.List;

/** A configuration that cannot be used, with every problem found in it (nothing starts half-configured). */
public final class ConfigException extends RuntimeException {

    private final List<ConfigProblem> problems;
    private final String file;

    public ConfigException(List<ConfigProblem> problems) {
        this(null, problems);
    }

    public ConfigException(String file, List<ConfigProblem> problems) {
        super(describe(file, problems));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    /** The same problems, said to come from {@code file}. */
    public ConfigException in(String file) {
        return new ConfigException(file, problems);
    }

    public String file() {
        return file;
    }

    private static String describe(String file, List<ConfigProblem> problems) {
        StringBuilder s = new StringBuilder();
        for (ConfigProblem p : problems) {
            if (!s.isEmpty()) {
                s.append('\n');
            }
            s.append(p.describe(file));
        }
        return s.toString();
    }
}
