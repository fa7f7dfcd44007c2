package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket server whose every frame the test writes by hand, for behaviour the real gateway will not produce
 * on demand: replies out of order, a dropped socket at an exact moment, a recovery that fails, silence.
 */
final class ScriptedServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final LinkedBlockingQueue<Peer> peers = new LinkedBlockingQueue<>();
    private final List<Peer> all = new CopyOnWriteArrayList<>();
    private Channel server;
    /** Whether a new connection gets a {@code welcome} at once (like a valid {@code ?token=}). */
    volatile boolean welcome = true;

    ScriptedServer start() throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/ws").checkStartsWith(true)
                                        .sendCloseFrame(null) // drop() must be a bare TCP close
                                        .build()),
                                new Peer(ch));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        return this;
    }

    String url() {
        return "ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/ws";
    }

    /** The next connection that completed its handshake. */
    Peer nextPeer() throws InterruptedException {
        Peer peer = peers.poll(5, TimeUnit.SECONDS);
        assertNotNull(peer, "no WebSocket connection within 5 s");
        return peer;
    }

    /** The next connection within {@code millis}, or {@code null}: for asserting that none comes. */
    Peer pollPeer(long millis) throws InterruptedException {
        return peers.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        for (Peer p : all) {
            p.channel.close();
        }
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One accepted WebSocket: what it received, and the means to write to it or kill it. */
    final class Peer extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        final Channel channel;
        private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        volatile String uri;

        Peer(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
                uri = handshake.requestUri();
                all.add(this);
                if (welcome) {
                    send("{\"type\":\"welcome\",\"connection\":\"c" + all.size()
                            + "\",\"session\":\"s\",\"user\":\"alice\",\"endpoint\":\"/ws\",\"node\":\"fake\",\"ts\":1}");
                }
                peers.add(this);
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            received.add(Json.parse(frame.text()));
        }

        /** The next frame the client sent; asserts its type. */
        JsonNode next(String type) throws InterruptedException {
            JsonNode frame = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(frame, "no '" + type + "' frame from the client within 5 s");
            assertEquals(type, frame.path("type").asText(), "unexpected frame " + frame);
            return frame;
        }

        /** The next frame within {@code millis}, or {@code null}. */
        JsonNode poll(long millis) throws InterruptedException {
            return received.poll(millis, TimeUnit.MILLISECONDS);
        }

        void send(String json) {
            channel.writeAndFlush(new TextWebSocketFrame(json));
        }

        void reply(String re, String data) {
            send("{\"type\":\"reply\",\"re\":\"" + re + "\",\"data\":" + data + "}");
        }

        /** A close frame with this code, then the TCP close. */
        void close(int code, String reason) {
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        }

        /** The TCP connection vanishes without a close frame (a crash, a cut cable). */
        void drop() {
            channel.close();
        }
    }
}
