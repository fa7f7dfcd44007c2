package dev.switchboard.server.internal.api;

import dev.switchboard.server.internal.transport.HttpRequestData;
import dev.switchboard.server.internal.transport.HttpResult;
import dev.switchboard.server.internal.transport.HttpRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the demo app from the classpath folder {@code static/} ({@code /} → {@code index.html}). Files that
 * exist are read once and cached (the set is small and fixed at build time); a miss is not cached, so
 * requests for made-up paths cannot grow the cache.
 */
public final class StaticFiles implements HttpRoutes.Handler {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png", "json", "application/json",
            "ico", "image/x-icon", "ts", "text/plain; charset=utf-8", "map", "application/json");

    private final Map<String, HttpResult> cache = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<HttpResult> handle(HttpRequestData request) {
        String path = request.path();
        if (path.endsWith("/")) {
            path = path + "index.html";
        }
        if (path.contains("..") || path.contains("//") || path.contains("\\")) {
            return CompletableFuture.completedFuture(HttpResult.error(404, "not_found", "no such file"));
        }
        String resource = "static" + path;
        HttpResult result = cache.get(resource);
        if (result == null) {
            result = load(resource);
            if (result.status() == 200) {
                cache.putIfAbsent(resource, result);
            }
        }
        return CompletableFuture.completedFuture(result);
    }

    /** Files held in the cache (for tests). */
    int cached() {
        return cache.size();
    }

    private static HttpResult load(String resource) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return HttpResult.error(404, "not_found", "no such file");
            }
            String ext = resource.substring(resource.lastIndexOf('.') + 1);
            return new HttpResult(200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes(),
                    Map.of("Cache-Control", "no-cache"));
        } catch (IOException e) {
            return HttpResult.error(500, "internal", "cannot read " + resource);
        }
    }
}
