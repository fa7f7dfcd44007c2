package dev.switchboard.server.internal.transport;

import dev.switchboard.server.internal.routing.SocketProtocol;
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

    /**
     * A route that takes the socket over (a Server-Sent Events stream) instead of answering once: a transport
     * of its own, so it is given what opening a connection takes when the server starts.
     */
    public interface StreamRoute {
        /** Called once, when the server starts. */
        void bind(ConnectionOpener opener);

        /** Takes the socket over (null), or returns the refusal to answer with. Runs on the channel's event loop. */
        HttpResult open(io.netty.channel.ChannelHandlerContext ctx, io.netty.handler.codec.http.FullHttpRequest req,
                        io.netty.handler.codec.http.QueryStringDecoder uri);
    }

    /**
     * A route that serves every path under a prefix and every method (a protocol of its own, like Durable
     * Streams), answering through an {@link HttpResponder}: once, or as a chunked stream.
     */
    @FunctionalInterface
    public interface PrefixHandler {
        void handle(HttpRequestData request, HttpResponder responder) throws Exception;
    }

    /** The outcome of a lookup: an answering handler, or a stream, or a prefix route, or neither. */
    public record Match(Handler handler, StreamRoute stream, PrefixHandler prefix, int maxBody,
                        Map<String, String> pathParams, boolean pathExists) {
        Match(Handler handler, Map<String, String> pathParams, boolean pathExists) {
            this(handler, null, null, -1, pathParams, pathExists);
        }

        Match(Handler handler, StreamRoute stream, Map<String, String> pathParams, boolean pathExists) {
            this(handler, stream, null, -1, pathParams, pathExists);
        }
    }

    private record Prefix(String prefix, int maxBody, PrefixHandler handler) {
    }

    private record Route(String method, String[] segments, Handler handler, StreamRoute stream) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final List<Prefix> prefixes = new ArrayList<>();
    private final List<SocketProtocol> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Handler fallback;
    private int maxBody = Integer.MAX_VALUE;

    /** Adds a route. */
    public HttpRoutes add(String method, String pattern, Handler handler) {
        routes.add(new Route(method, split(pattern), handler, null));
        return this;
    }

    /** Adds a route whose requests become long-lived streams. */
    public HttpRoutes stream(String method, String pattern, StreamRoute stream) {
        routes.add(new Route(method, split(pattern), null, stream));
        return this;
    }

    /** The stream routes, for the server to bind at start. */
    List<StreamRoute> streams() {
        return routes.stream().map(Route::stream).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * Serves {@code prefix} and every path below it with {@code handler}, for every method, taking request bodies
     * of up to {@code maxBody} bytes (the other routes take the node's {@code --max-http-body}).
     */
    public HttpRoutes prefix(String prefix, int maxBody, PrefixHandler handler) {
        prefixes.add(new Prefix(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix, maxBody, handler));
        return this;
    }

    /** The largest request body the routes other than prefix routes take (bigger: 413). */
    public HttpRoutes maxBody(int bytes) {
        this.maxBody = bytes;
        return this;
    }

    int maxBody() {
        return maxBody;
    }

    /** The largest body any route takes: what the transport must be ready to aggregate. */
    public int largestBody(int otherRoutes) {
        return prefixes.stream().mapToInt(Prefix::maxBody).reduce(otherRoutes, Math::max);
    }

    /** Adds a WebSocket protocol other than the native one, on the paths it serves. */
    public HttpRoutes socket(SocketProtocol protocol) {
        sockets.add(protocol);
        return this;
    }

    /** The protocol that serves WebSocket upgrades to {@code path}, or null. */
    SocketProtocol socketFor(String path) {
        for (SocketProtocol p : sockets) {
            if (p.serves(path)) {
                return p;
            }
        }
        return null;
    }

    /** A handler for GETs no route matched (static files). */
    public HttpRoutes fallback(Handler handler) {
        this.fallback = handler;
        return this;
    }

    /** Finds the route for a request; {@code handler} is null when none matches. */
    public Match find(String method, String path) {
        for (Prefix p : prefixes) {
            if (path.equals(p.prefix) || path.startsWith(p.prefix + "/")) {
                return new Match(null, null, p.handler, p.maxBody, Map.of(), true);
            }
        }
        String[] parts = split(path);
        boolean pathExists = false;
        for (Route r : routes) {
            Map<String, String> params = match(r.segments, parts);
            if (params != null) {
                pathExists = true;
                if (r.method.equals(method)) {
                    return new Match(r.handler, r.stream, params, true);
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
