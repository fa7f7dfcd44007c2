package dev.switchboard.server.internal.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;

/**
 * The pipeline every accepted socket starts with: TLS (when configured), HTTP codec, aggregation (bounded),
 * optional permessage-deflate negotiation, and the router. An upgrade replaces the HTTP part with WebSocket handlers.
 */
final class GatewayChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final TransportSettings settings;
    private final ChannelGroup httpChannels;
    private final java.util.function.Supplier<HttpRouter> routers;

    GatewayChannelInitializer(TransportSettings settings, ChannelGroup httpChannels,
                              java.util.function.Supplier<HttpRouter> routers) {
        this.settings = settings;
        this.httpChannels = httpChannels;
        this.routers = routers;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        httpChannels.add(ch); // removed automatically on close; removed by the upgrader on upgrade
        ChannelPipeline p = ch.pipeline();
        if (settings.tls() != null) {
            // The handshake has the header deadline too: a client that opens a socket and never says hello
            // holds a connection slot no longer than one that never sends its request.
            p.addLast("tls", settings.tls().newHandler(ch.alloc(), settings.headerTimeout()));
        }
        p.addLast("http", new HttpServerCodec(4096, 16 * 1024, 8192));
        p.addLast(HttpDeadlines.NAME, new HttpDeadlines(settings.headerTimeout(), settings.httpIdleTimeout()));
        p.addLast("http-aggregator", new HttpObjectAggregator(settings.maxHttpBody()));
        if (settings.permessageDeflate()) {
            p.addLast("ws-deflate", new WebSocketServerCompressionHandler(settings.maxMessageSize()));
        }
        p.addLast("router", routers.get());
    }
}
