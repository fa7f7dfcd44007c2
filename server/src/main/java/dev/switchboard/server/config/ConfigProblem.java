package dev.switchboard.server.config;

/**
 * One thing wrong with a configuration: where (line 0 when not from a file's line) and which key.
 *
 * @param key the dotted path in the file ({@code server.port}), the option ({@code --port}) or the variable
 */
public record ConfigProblem(int line, String key, String message) {

    /** {@code file:line: key: message}, the form every problem is reported in. */
    public String describe(String file) {
        StringBuilder s = new StringBuilder();
        if (file != null) {
            s.append(file).append(':');
            if (line > 0) {
                s.append(line).append(':');
            }
            s.append(' ');
        }
        if (!key.isEmpty()) {
            s.append(key).append(": ");
        }
        return s.append(message).toString();
    }
}
