package dev.switchboard.server.internal.transport;

import dev.switchboard.server.internal.routing.EndpointRoutes;
import dev.switchboard.server.internal.routing.SocketProtocol;
import dev.switchboard.server.internal.routing.SocketSession;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

/**
 * Turns an HTTP upgrade request into a live connection: origin check (done by the caller), what every
 * connection goes through ({@link ConnectionOpener}), RFC 6455 handshake, and the swap from the HTTP pipeline
 * to the WebSocket one.
 */
final class WebSocketUpgrader {

    private final ConnectionOpener opener;
    private final WebSocketDecoderConfig decoderConfig;

    WebSocketUpgrader(ConnectionOpener opener) {
        this.opener = opener;
        TransportSettings settings = opener.settings();
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(settings.maxMessageSize())
                .allowExtensions(settings.permessageDeflate())
                // Violations reach WebSocketFrameHandler, which answers with the RFC's close code (1002, 1007,
                // 1009) in a close frame instead of dropping TCP.
                .closeOnProtocolViolation(false)
                .withUTF8Validator(true)
                .build();
    }

    /** Upgrades to a native endpoint, or answers the refusal to write (null when upgraded or already answered). */
    HttpResult upgrade(ChannelHandlerContext ctx, FullHttpRequest req, EndpointRoutes endpoint, QueryStringDecoder uri) {
        return upgrade(ctx, req, uri, null, channel -> opener.open(channel, req, uri, endpoint, false));
    }

    /** Upgrades to another protocol's path: its session takes the frames. */
    HttpResult upgrade(ChannelHandlerContext ctx, FullHttpRequest req, SocketProtocol protocol, QueryStringDecoder uri) {
        return upgrade(ctx, req, uri, protocol.overCapacity(), channel -> opener.open(channel, req, uri, uri.path(), false,
                connection -> protocol.open(connection, uri.path(), uri.parameters())));
    }

    private HttpResult upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri,
                               SocketProtocol.Refusal inBandRefusal,
                               java.util.function.Function<io.netty.channel.Channel,
                                       ConnectionOpener.Opening<? extends SocketSession>> open) {
        String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(
                "ws://" + host + uri.path(), null, decoderConfig);
        WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            return null;
        }
        HttpResult full = opener.admit(ctx.channel());
        if (full != null && inBandRefusal == null) {
            return full;
        }
        if (full != null) { // the protocol says "full" inside the WebSocket: upgrade, say it, close; no slot taken
            handshaker.handshake(ctx.channel(), req).addListener(f -> {
                if (f.isSuccess()) {
                    ctx.channel().write(new TextWebSocketFrame(Unpooled.wrappedBuffer(inBandRefusal.frame())));
                    ctx.channel().writeAndFlush(new CloseWebSocketFrame(inBandRefusal.code(), inBandRefusal.reason()))
                            .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                } else {
                    ctx.close();
                }
            });
            return null;
        }
        ConnectionOpener.Opening<? extends SocketSession> opening;
        try {
            opening = open.apply(ctx.channel());
        } catch (RuntimeException e) {
            opener.abandoned(ctx.channel());
            throw e;
        }
        handshaker.handshake(ctx.channel(), req, opening.responseHeaders(), ctx.channel().newPromise()).addListener(f -> {
            if (f.isSuccess()) {
                opening.session().start(opening.queryToken(), opening.hookHeaders());
            } else {
                ctx.close();
            }
        });
        // Swap handlers now, in this event-loop task, so no frame can arrive before its handler exists.
        ChannelPipeline pipeline = ctx.pipeline();
        // The handshaker alone does not validate text: WebSocketFrameHandler checks each whole message (1007).
        // No aggregator yet: the frame handler puts one in front of itself when a first fragment arrives.
        pipeline.addAfter(ctx.name(), "ws-frames", new WebSocketFrameHandler(opening.session(), opener));
        pipeline.remove(ctx.handler());
        if (pipeline.get(HttpDeadlines.NAME) != null) {
            pipeline.remove(HttpDeadlines.NAME); // the WebSocket heartbeat and auth timeout take over
        }
        opener.started(opening.connection()); // from now on the registry holds it (and drains it with 1001)
        return null;
    }
}
