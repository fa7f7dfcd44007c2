package dev.switchboard.server.internal.transport;

import dev.switchboard.server.internal.routing.EndpointRoutes;
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

    HttpRouter(Map<String, EndpointRoutes> endpoints, HttpRoutes routes, OriginPolicy origins, WebSocketUpgrader upgrader) {
        this.endpoints = endpoints;
        this.routes = routes;
        this.origins = origins;
        this.upgrader = upgrader;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            // a header too long, Content-Length with Transfer-Encoding: what follows on this socket cannot be trusted
            refuse(ctx, HttpResult.error(400, "bad_request", "malformed HTTP request"));
            return;
        }
        if (req.protocolVersion().equals(HttpVersion.HTTP_1_1) && !req.headers().contains(HttpHeaderNames.HOST)) {
            refuse(ctx, HttpResult.error(400, "bad_request", "HTTP/1.1 requires a Host header")); // RFC 9112 §3.2
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        EndpointRoutes endpoint = endpoints.get(uri.path());
        if (endpoint != null) {
            if (!isUpgrade(req)) {
                refuse(ctx, HttpResult.error(426, "bad_request", "this is a WebSocket endpoint: send an upgrade request"));
            } else if (!origins.allows(req.headers().get(HttpHeaderNames.ORIGIN), req.headers().get(HttpHeaderNames.HOST))) {
                refuse(ctx, HttpResult.error(403, "forbidden", "origin not allowed"));
            } else {
                upgrader.upgrade(ctx, req, endpoint, uri);
            }
            return;
        }
        HttpRoutes.Match match = routes.find(req.method().name(), uri.path());
        if (match.handler() == null) {
            write(ctx, req, match.pathExists()
                    ? HttpResult.error(405, "bad_request", "method not allowed")
                    : HttpResult.error(404, "not_found", "no such path: " + uri.path()));
            return;
        }
        HttpRequestData data = new HttpRequestData(req.method().name(), uri.path(), uri.parameters(),
                match.pathParams(), req.headers().copy(), ByteBufUtil.getBytes(req.content()));
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean head = req.method().equals(HttpMethod.HEAD);
        CompletableFuture<HttpResult> result;
        try {
            result = match.handler().handle(data);
        } catch (Exception e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((r, e) -> {
            HttpResult answer = r;
            if (e != null) {
                log.error("HTTP {} {} failed", data.method(), data.path(), e);
                answer = HttpResult.error(500, "internal", "internal error");
            }
            HttpResult fin = answer;
            ctx.executor().execute(() -> write(ctx, keepAlive, head, fin));
        });
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

    private static void write(ChannelHandlerContext ctx, FullHttpRequest req, HttpResult result) {
        write(ctx, HttpUtil.isKeepAlive(req), req.method().equals(HttpMethod.HEAD), result);
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
