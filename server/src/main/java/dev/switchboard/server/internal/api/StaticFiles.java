package dev.switchboard.server.internal.api;

import dev.switchboard.server.internal.transport.HttpRequestData;
import dev.switchboard.server.internal.transport.HttpResult;
import dev.switchboard.server.internal.transport.HttpRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Serves the demo app from the classpath folder {@code static/} ({@code /} → {@code index.html}). Every file is
 * read once, when the node starts (the set is small and fixed at build time), into an index; a request is one
 * lookup in it, so a path that is not there touches nothing: no class-loader lookup, no cache, no file system.
 */
public final class StaticFiles implements HttpRoutes.Handler {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png", "json", "application/json",
            "ico", "image/x-icon", "ts", "text/plain; charset=utf-8", "map", "application/json");

    private static final String ROOT = "static";

    private final Map<String, HttpResult> files;

    public StaticFiles() {
        this.files = Map.copyOf(index());
    }

    @Override
    public CompletableFuture<HttpResult> handle(HttpRequestData request) {
        String path = request.path();
        if (path.endsWith("/")) {
            path = path + "index.html";
        }
        if (path.contains("..") || path.contains("//") || path.contains("\\")) {
            return CompletableFuture.completedFuture(HttpResult.error(404, "not_found", "no such file"));
        }
        HttpResult result = files.get(path);
        return CompletableFuture.completedFuture(result != null ? result : HttpResult.error(404, "not_found", "no such file"));
    }

    /** Files served (for tests). */
    int size() {
        return files.size();
    }

    /** Every file under {@code static/}, by request path ({@code /js/chat.js}), from the jar or the class folder. */
    private static Map<String, HttpResult> index() {
        URL root = StaticFiles.class.getClassLoader().getResource(ROOT);
        Map<String, HttpResult> out = new HashMap<>();
        if (root == null) {
            return out;
        }
        try {
            if ("jar".equals(root.getProtocol())) {
                JarURLConnection connection = (JarURLConnection) root.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    for (JarEntry e : java.util.Collections.list(jar.entries())) {
                        if (!e.isDirectory() && e.getName().startsWith(ROOT + "/")) {
                            try (InputStream in = jar.getInputStream(e)) {
                                out.put(e.getName().substring(ROOT.length()), file(e.getName(), in.readAllBytes()));
                            }
                        }
                    }
                }
            } else {
                Path dir = Path.of(root.toURI());
                try (Stream<Path> all = Files.walk(dir)) {
                    for (Path f : all.filter(Files::isRegularFile).toList()) {
                        String name = "/" + dir.relativize(f).toString().replace('\\', '/');
                        out.put(name, file(name, Files.readAllBytes(f)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot index the static files", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static HttpResult file(String name, byte[] body) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return new HttpResult(200, TYPES.getOrDefault(ext, "application/octet-stream"), body,
                Map.of("Cache-Control", "no-cache"));
    }
}
