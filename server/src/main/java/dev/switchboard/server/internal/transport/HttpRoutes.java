package dev.switchboard.server.internal.transport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The table of plain-HTTP routes: method + path pattern ({@code /api/channels/{channel}/presence}) → handler.
 * Routes are added by the api layer at start-up; lookups happen per request.
 */
public final class HttpRoutes {

    /** A route's code; answers asynchronously so engine calls never block the I/O thread. */
    @FunctionalInterface
    public interface Handler {
        CompletableFuture<HttpResult> handle(HttpRequestData request) throws Exception;
    }

    /** The outcome of a lookup. */
    public record Match(Handler handler, Map<String, String> pathParams, boolean pathExists) {
    }

    private record Route(String method, String[] segments, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();
    private Handler fallback;

    /** Adds a route. */
    public HttpRoutes add(String method, String pattern, Handler handler) {
        routes.add(new Route(method, split(pattern), handler));
        return this;
    }

    /** A handler for GETs no route matched (static files). */
    public HttpRoutes fallback(Handler handler) {
        this.fallback = handler;
        return this;
    }

    /** Finds the route for a request; {@code handler} is null when none matches. */
    public Match find(String method, String path) {
        String[] parts = split(path);
        boolean pathExists = false;
        for (Route r : routes) {
            Map<String, String> params = match(r.segments, parts);
            if (params != null) {
                pathExists = true;
                if (r.method.equals(method)) {
                    return new Match(r.handler, params, true);
                }
            }
        }
        if (!pathExists && fallback != null && ("GET".equals(method) || "HEAD".equals(method))) {
            return new Match(fallback, Map.of(), true);
        }
        return new Match(null, Map.of(), pathExists);
    }

    private static Map<String, String> match(String[] pattern, String[] parts) {
        if (pattern.length != parts.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                if (params == null) {
                    params = new HashMap<>(2);
                }
                params.put(p.substring(1, p.length() - 1), parts[i]);
            } else if (!p.equals(parts[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
