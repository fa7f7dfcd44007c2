package dev.switchboard.server.internal.durable;

import dev.switchboard.server.internal.transport.HttpRequestData;

/**
 * Stream paths and URLs: the stream at {@code /streams/a/b} is {@code a/b}; a fork's {@code Stream-Forked-From}
 * names its source relative to the prefix, with or without the prefix itself, with or without a leading slash.
 */
final class StreamPaths {

    /** The longest stream path taken. */
    static final int MAX_LENGTH = 1024;

    private final String prefix;
    private final boolean tls;

    StreamPaths(String prefix, boolean tls) {
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        this.tls = tls;
    }

    String prefix() {
        return prefix;
    }

    /** The stream a request path names, or null when it names none (the prefix itself, a bad path). */
    String streamOf(String requestPath) {
        if (!requestPath.startsWith(prefix + "/")) {
            return null;
        }
        return valid(requestPath.substring(prefix.length() + 1));
    }

    /** A fork's source path. */
    String forkSource(String header) {
        String p = header.trim();
        if (p.startsWith(prefix + "/")) {
            p = p.substring(prefix.length() + 1);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }

    /** The absolute URL of a stream, as {@code Location} gives it. */
    String url(HttpRequestData request, String path) {
        String host = request.header("Host");
        return (tls ? "https://" : "http://") + (host == null ? "localhost" : host) + prefix + "/" + path;
    }

    /** Paths are plain: no empty or dot segments, no control characters, bounded length. */
    private static String valid(String path) {
        if (path.isEmpty() || path.length() > MAX_LENGTH || path.startsWith("/") || path.endsWith("/")) {
            return null;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return null;
            }
        }
        for (int i = 0; i < path.length(); i++) {
            if (Character.isISOControl(path.charAt(i))) {
                return null;
            }
        }
        return path;
    }
}
