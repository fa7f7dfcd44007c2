package dev.switchboard.server.internal.transport;

import dev.switchboard.server.internal.auth.SessionCookies;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.delivery.Hub;
import dev.switchboard.server.internal.routing.Client;
import dev.switchboard.server.internal.routing.ClientSettings;
import dev.switchboard.server.internal.routing.EndpointRoutes;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns an HTTP upgrade request into a live connection: origin check (done by the caller), session cookie,
 * RFC 6455 handshake, and the swap from the HTTP pipeline to the WebSocket one.
 */
final class WebSocketUpgrader {

    private final TransportSettings settings;
    private final Hub hub;
    private final ClientSettings clientSettings;
    private final Clock clock;
    private final String idPrefix;
    private final AtomicLong nextId = new AtomicLong();
    private final WebSocketDecoderConfig decoderConfig;

    private final ChannelGroup httpChannels;

    private final ConnectionLimits limits;

    WebSocketUpgrader(TransportSettings settings, Hub hub, ClientSettings clientSettings, Clock clock,
                      ChannelGroup httpChannels) {
        this.httpChannels = httpChannels;
        this.settings = settings;
        this.hub = hub;
        this.clientSettings = clientSettings;
        this.clock = clock;
        this.idPrefix = clientSettings.nodeId() + "-";
        this.limits = new ConnectionLimits(settings.maxConnections(), settings.maxPerAddress(),
                settings.handshakesPerSecond());
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(settings.maxMessageSize())
                .allowExtensions(settings.permessageDeflate())
                // Violations reach WebSocketFrameHandler, which answers with the RFC's close code (1002, 1007,
                // 1009) in a close frame instead of dropping TCP.
                .closeOnProtocolViolation(false)
                .withUTF8Validator(true)
                .build();
    }

    void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, EndpointRoutes endpoint, QueryStringDecoder uri) {
        String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(
                "ws://" + host + endpoint.path(), null, decoderConfig);
        WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            return;
        }
        String full = limits.tryAdmit(ctx.channel());
        if (full != null) {
            HttpRouter.refuse(ctx, HttpResult.error(503, "unavailable", full).withHeader("Retry-After", "5"));
            return;
        }
        HttpHeaders responseHeaders = new DefaultHttpHeaders();
        String cookie = sessionCookie(req);
        if (cookie == null) {
            cookie = SessionCookies.newValue();
            responseHeaders.add(HttpHeaderNames.SET_COOKIE, SessionCookies.setCookieHeader(cookie, settings.secureCookies()));
        }
        List<String> tokens = uri.parameters().get("token");
        String token = tokens == null || tokens.isEmpty() ? null : tokens.get(0);

        Connection connection = new Connection(idPrefix + Long.toString(nextId.incrementAndGet(), 36), ctx.channel(),
                endpoint.path(), SessionCookies.sessionId(cookie), clock.millis(), settings.maxOutboundBytes());
        Client client = new Client(connection, endpoint, hub, clientSettings);
        Map<String, String> headers = forwardedHeaders(req);

        handshaker.handshake(ctx.channel(), req, responseHeaders, ctx.channel().newPromise()).addListener(f -> {
            if (f.isSuccess()) {
                client.start(token, headers);
            } else {
                ctx.close();
            }
        });
        // Swap handlers now, in this event-loop task, so no frame can arrive before its handler exists.
        ChannelPipeline pipeline = ctx.pipeline();
        // The handshaker alone does not validate text: invalid or overlong UTF-8 must close with 1007.
        pipeline.addAfter(ctx.name(), "ws-utf8", new io.netty.handler.codec.http.websocketx.Utf8FrameValidator(false));
        pipeline.addAfter("ws-utf8", "ws-aggregator", new WebSocketFrameAggregator(settings.maxMessageSize()));
        pipeline.addAfter("ws-aggregator", "ws-frames", new WebSocketFrameHandler(client, clock));
        pipeline.remove(ctx.handler());
        if (pipeline.get(HttpDeadlines.NAME) != null) {
            pipeline.remove(HttpDeadlines.NAME); // the WebSocket heartbeat and auth timeout take over
        }
        httpChannels.remove(ctx.channel()); // from now on the hub owns it (and drains it with 1001)
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
