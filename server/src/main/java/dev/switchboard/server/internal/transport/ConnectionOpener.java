package dev.switchboard.server.internal.transport;

import dev.switchboard.server.internal.auth.SessionCookies;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.routing.NodeServices;
import dev.switchboard.server.internal.transport.AccessLog;
import dev.switchboard.server.internal.observe.TrustedProxies;
import dev.switchboard.server.internal.routing.Client;
import dev.switchboard.server.internal.routing.ClientSettings;
import dev.switchboard.server.internal.routing.EndpointRoutes;
import dev.switchboard.server.internal.routing.SocketSession;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every long-lived connection goes through before its transport takes the socket over, whether it becomes
 * a WebSocket or a Server-Sent Events stream: the node's connection limits, an id, the session cookie, the
 * client's address (through trusted proxies), the headers the connect hook may see; and, once it runs, the
 * access log and the hand-over from the HTTP channels to the hub.
 */
public final class ConnectionOpener {

    /** A connection about to start: its session, the response headers to send, the hook's headers. */
    public record Opening<S extends SocketSession>(Connection connection, S session, HttpHeaders responseHeaders,
                                                   Map<String, String> hookHeaders, String queryToken) {
    }

    private final TransportSettings settings;
    private final NodeServices node;
    private final ClientSettings clientSettings;
    private final Clock clock;
    private final ChannelGroup httpChannels;
    private final AccessLog accessLog;
    private final TrustedProxies proxies;
    private final ConnectionLimits limits;
    private final String idPrefix;
    private final AtomicLong nextId = new AtomicLong();

    ConnectionOpener(TransportSettings settings, NodeServices node, ClientSettings clientSettings, Clock clock,
                     ChannelGroup httpChannels, AccessLog accessLog, TrustedProxies proxies) {
        this.settings = settings;
        this.node = node;
        this.clientSettings = clientSettings;
        this.clock = clock;
        this.httpChannels = httpChannels;
        this.accessLog = accessLog;
        this.proxies = proxies;
        this.limits = new ConnectionLimits(settings.maxConnections(), settings.maxPerAddress(),
                settings.handshakesPerSecond());
        this.idPrefix = clientSettings.nodeId() + "-";
    }

    /**
     * Takes a connection slot for the channel, given back by {@link #closed} (or {@link #abandoned} when it
     * never became a connection); null when admitted, else the 503.
     */
    public HttpResult admit(Channel channel) {
        String full = limits.tryAdmit(channel);
        return full == null ? null : HttpResult.error(503, "unavailable", full).withHeader("Retry-After", "5");
    }

    /** A native connection for an admitted request (not registered yet: {@link #started} and its start do it). */
    public Opening<Client> open(Channel channel, FullHttpRequest req, QueryStringDecoder uri, EndpointRoutes endpoint,
                                boolean eventStream) {
        return open(channel, req, uri, endpoint.path(), eventStream,
                connection -> new Client(connection, endpoint, node, clientSettings));
    }

    /** A connection of any protocol: {@code session} makes its session from the new connection. */
    public <S extends SocketSession> Opening<S> open(Channel channel, FullHttpRequest req, QueryStringDecoder uri,
                                                     String path, boolean eventStream,
                                                     java.util.function.Function<Connection, S> session) {
        HttpHeaders responseHeaders = new DefaultHttpHeaders();
        String cookie = sessionCookie(req);
        if (cookie == null) {
            cookie = SessionCookies.newValue();
            responseHeaders.add(HttpHeaderNames.SET_COOKIE, SessionCookies.setCookieHeader(cookie, settings.secureCookies()));
        }
        Connection connection = new Connection(idPrefix + Long.toString(nextId.incrementAndGet(), 36), channel,
                path, SessionCookies.sessionId(cookie), clock.millis(), settings.maxOutboundBytes(),
                eventStream);
        if (proxies.any()) {
            connection.clientAddress(proxies.clientAddress(channel.remoteAddress(), req.headers().get("X-Forwarded-For")));
        }
        List<String> tokens = uri.parameters().get("token");
        String token = tokens == null || tokens.isEmpty() ? null : tokens.get(0);
        return new Opening<>(connection, session.apply(connection), responseHeaders, forwardedHeaders(req), token);
    }

    /** The socket is the connection's now: the registry holds it (and drains it), the access log has seen it open. */
    public void started(Connection connection) {
        httpChannels.remove(connection.channel());
        accessLog.opened(connection);
    }

    /** The socket closed: its slot is free, the client leaves every registry, the access log writes its line. */
    public void closed(SocketSession session) {
        limits.release(session.connection().channel());
        session.onClosed();
        accessLog.closed(session.connection());
    }

    /** Gives the slot back for an admitted channel that failed before it became a connection. */
    public void abandoned(Channel channel) {
        limits.release(channel);
    }

    public Clock clock() {
        return clock;
    }

    public TransportSettings settings() {
        return settings;
    }

    /** The headers the connect hook may see; only collected when a connect hook is there to see them. */
    private Map<String, String> forwardedHeaders(FullHttpRequest req) {
        if (!clientSettings.hooks().decidesConnect() || clientSettings.forwardHeaders().isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : clientSettings.forwardHeaders()) {
            List<String> values = req.headers().getAll(name);
            if (!values.isEmpty()) {
                out.put(name, String.join(name.equals("cookie") ? "; " : ", ", values));
            }
        }
        return out;
    }

    private static String sessionCookie(FullHttpRequest req) {
        String header = req.headers().get(HttpHeaderNames.COOKIE);
        if (header == null) {
            return null;
        }
        for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
            if (SessionCookies.NAME.equals(c.name()) && SessionCookies.isWellFormed(c.value())) {
                return c.value();
            }
        }
        return null;
    }
}
