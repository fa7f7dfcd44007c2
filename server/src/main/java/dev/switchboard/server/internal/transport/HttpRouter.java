package dev.switchboard.server.internal.transport;

import dev.switchboard.server.internal.transport.AccessLog;
import dev.switchboard.server.internal.observe.TrustedProxies;
import dev.switchboard.server.internal.observe.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import dev.switchboard.server.internal.routing.EndpointRoutes;
import dev.switchboard.server.internal.routing.SocketProtocol;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches aggregated HTTP requests: WebSocket upgrades on endpoint paths, everything else to the
 * {@link HttpRoutes} table. An unknown path is a 404, never an upgrade.
 */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

    private final Map<String, EndpointRoutes> endpoints;
    private final HttpRoutes routes;
    private final OriginPolicy origins;
    private final WebSocketUpgrader upgrader;
    private final AccessLog accessLog;
    private final TrustedProxies proxies;
    private final Tracing tracing;

    HttpRouter(Map<String, EndpointRoutes> endpoints, HttpRoutes routes, OriginPolicy origins, WebSocketUpgrader upgrader,
               AccessLog accessLog, TrustedProxies proxies, Tracing tracing) {
        this.tracing = tracing;
        this.accessLog = accessLog;
        this.proxies = proxies;
        this.endpoints = endpoints;
        this.routes = routes;
        this.origins = origins;
        this.upgrader = upgrader;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        Exchange exchange = new Exchange(req, ctx);
        if (!req.decoderResult().isSuccess()) {
            // a header too long, Content-Length with Transfer-Encoding: what follows on this socket cannot be trusted
            exchange.refuse(HttpResult.error(400, "bad_request", "malformed HTTP request"));
            return;
        }
        if (req.protocolVersion().equals(HttpVersion.HTTP_1_1) && !req.headers().contains(HttpHeaderNames.HOST)) {
            exchange.refuse(HttpResult.error(400, "bad_request", "HTTP/1.1 requires a Host header")); // RFC 9112 §3.2
            return;
        }
        if (req.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
            exchange.refuse(HttpResult.error(400, "bad_request", "more than one Host header")); // RFC 9112 §3.2
            return;
        }
        if (req.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            // The aggregator took "chunked" off; any coding left is one the gateway does not decode (RFC 9112 §6.1),
            // and a framing a proxy in front may have read differently.
            exchange.refuse(HttpResult.error(501, "bad_request", "the only transfer coding served is chunked"));
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        EndpointRoutes endpoint = endpoints.get(uri.path());
        SocketProtocol protocol = endpoint == null ? routes.socketFor(uri.path()) : null;
        if (endpoint != null || protocol != null) {
            if (!isUpgrade(req)) {
                exchange.refuse(HttpResult.error(426, "bad_request", "this is a WebSocket endpoint: send an upgrade request"));
            } else if (!origins.allows(req.headers().get(HttpHeaderNames.ORIGIN), req.headers().get(HttpHeaderNames.HOST))) {
                exchange.refuse(HttpResult.error(403, "forbidden", "origin not allowed"));
            } else {
                HttpResult refused = endpoint != null ? upgrader.upgrade(ctx, req, endpoint, uri)
                        : upgrader.upgrade(ctx, req, protocol, uri);
                if (refused != null) {
                    exchange.refuse(refused);
                }
            }
            return;
        }
        if (isUpgrade(req)) {
            // an upgrade to a path no endpoint serves: refused and closed like the other refused upgrades
            exchange.refuse(HttpResult.error(404, "not_found", "no WebSocket endpoint at " + uri.path()));
            return;
        }
        HttpRoutes.Match match = routes.find(req.method().name(), uri.path());
        if (match.stream() != null) {
            HttpResult refused = match.stream().open(ctx, req, uri);
            if (refused != null) {
                exchange.refuse(refused);
            } else {
                exchange.log(200, 0); // the stream's own end is in its conn_close line
            }
            return;
        }
        int maxBody = match.prefix() != null ? match.maxBody() : routes.maxBody();
        if (req.content().readableBytes() > maxBody) {
            exchange.write(false, HttpResult.error(413, "too_large", "request body larger than " + maxBody + " bytes"));
            return;
        }
        if (match.prefix() != null) {
            HttpRequestData data = new HttpRequestData(req.method().name(), uri.path(), uri.parameters(), Map.of(),
                    req.headers().copy(), ByteBufUtil.getBytes(req.content()));
            ChunkedResponder responder = new ChunkedResponder(ctx, HttpUtil.isKeepAlive(req), exchange::write,
                    exchange::log);
            try {
                match.prefix().handle(data, responder);
            } catch (Exception e) {
                log.error("HTTP {} {} failed", data.method(), data.path(), e);
                responder.answer(HttpResult.error(500, "internal", "internal error"));
            }
            return;
        }
        if (match.handler() == null) {
            exchange.write(HttpUtil.isKeepAlive(req), match.pathExists()
                    ? HttpResult.error(405, "bad_request", "method not allowed")
                    : HttpResult.error(404, "not_found", "no such path: " + uri.path()));
            return;
        }
        HttpRequestData data = new HttpRequestData(req.method().name(), uri.path(), uri.parameters(),
                match.pathParams(), req.headers().copy(), ByteBufUtil.getBytes(req.content()));
        Span span = null;
        if (tracing.enabled() && uri.path().startsWith("/api/")) { // the backend API, not pages and probes
            span = tracing.start(data.method() + " " + data.path(), SpanKind.SERVER,
                    tracing.parent(data.header("traceparent"), data.header("tracestate")));
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean head = req.method().equals(HttpMethod.HEAD);
        CompletableFuture<HttpResult> result;
        try (Scope scope = span == null ? null : span.makeCurrent()) {
            result = match.handler().handle(data);
        } catch (Exception e) {
            result = CompletableFuture.failedFuture(e);
        }
        Span apiSpan = span;
        result.whenComplete((r, e) -> {
            HttpResult answer = r;
            if (e != null) {
                log.error("HTTP {} {} failed", data.method(), data.path(), e);
                answer = HttpResult.error(500, "internal", "internal error");
            }
            if (apiSpan != null) {
                apiSpan.setAttribute("http.response.status_code", answer.status());
                if (answer.status() >= 500) {
                    apiSpan.setStatus(StatusCode.ERROR);
                }
                apiSpan.end();
            }
            HttpResult fin = answer;
            ctx.executor().execute(() -> exchange.write(keepAlive, fin));
        });
    }

    /**
     * One request being answered: what the access log needs, taken before the request is released (the answer
     * of an async route is written after {@code channelRead0} returned).
     */
    private final class Exchange {
        private final ChannelHandlerContext ctx;
        private final long started = System.nanoTime();
        private final String method;
        private final String path;
        private final boolean head;
        private final long bytesIn;
        private final String remote;

        Exchange(FullHttpRequest req, ChannelHandlerContext ctx) {
            this.ctx = ctx;
            this.method = req.method().name();
            this.head = req.method().equals(HttpMethod.HEAD);
            this.bytesIn = req.content().readableBytes();
            if (accessLog.enabled()) {
                int q = req.uri().indexOf('?');
                this.path = q < 0 ? req.uri() : req.uri().substring(0, q);
                this.remote = proxies.clientAddress(ctx.channel().remoteAddress(), req.headers().get("X-Forwarded-For"));
            } else {
                this.path = null;
                this.remote = null;
            }
        }

        void refuse(HttpResult result) {
            write(false, result);
        }

        void write(boolean keepAlive, HttpResult result) {
            HttpRouter.write(ctx, keepAlive, head, result);
            log(result.status(), head ? 0 : result.body().length);
        }

        void log(int status, long bytesOut) {
            accessLog.http(method, path, status, bytesIn, bytesOut, remote, (System.nanoTime() - started) / 1000);
        }
    }

    private static boolean isUpgrade(FullHttpRequest req) {
        return req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && req.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /**
     * Answers with {@code Connection: close} and closes, as Netty's own handshake handler and the {@code ws}
     * server do: a refused upgrade or a request we could not parse leaves the socket in a state where the
     * next bytes on it would be misread.
     */
    static void refuse(ChannelHandlerContext ctx, HttpResult result) {
        write(ctx, false, false, result);
    }

    static void write(ChannelHandlerContext ctx, boolean keepAlive, boolean head, HttpResult result) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(result.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(result.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, result.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, result.body().length);
        response.headers().set("X-Content-Type-Options", "nosniff");
        result.headers().forEach(response.headers()::set);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection failed: {}", cause.toString());
        ctx.close();
    }

}
