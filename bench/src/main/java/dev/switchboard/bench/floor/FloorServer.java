package dev.switchboard.bench.floor;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The floor: what any WebSocket pub/sub server must do and nothing more, so a report can state what the gateway
 * costs per delivery as a multiple of it. It accepts, upgrades with Netty's stock handshake, and for each
 * publication builds one WebSocket frame (header and payload, once) and writes that same buffer to every
 * subscriber, flushing once per read batch; no JSON parsing (fields are found by byte search in the load
 * client's own frames), no authentication, no history, no limits, no per-connection queue. It speaks just enough of the Switchboard
 * envelope for the bench's scenarios (subscribe, publish, echo) and is not a server anyone should deploy.
 * Run: {@code java -cp switchboard-bench.jar dev.switchboard.bench.floor.FloorServer [--port N] [--io-threads N]}.
 */
public final class FloorServer {

    private static final byte[] WELCOME = "{\"type\":\"welcome\",\"connection\":\"floor\",\"user\":\"bench\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] TOKEN = "{\"token\":\"floor\",\"expiresIn\":60}".getBytes(StandardCharsets.UTF_8);

    /** channel name -> its subscribers; copy-on-write because subscribes are rare and fan-out iterates. */
    private final Map<String, List<Channel>> channels = new ConcurrentHashMap<>();

    public static void main(String[] args) throws InterruptedException {
        String host = option(args, "--host", "127.0.0.1");
        int port = Integer.parseInt(option(args, "--port", "8092"));
        // one loop per two cores, as the gateway's default: the same share of the machine for the I/O threads
        int threads = Integer.parseInt(option(args, "--io-threads",
                Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors() / 2))));
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        FloorServer floor = new FloorServer();
        Channel server = new ServerBootstrap().group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                floor.new Http(),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/ws").checkStartsWith(true) // the ticket rides in ?token=
                                        .maxFramePayloadLength(1 << 20).build()),
                                floor.new Frames());
                    }
                })
                .bind(host, port).sync().channel();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> group.shutdownGracefully().syncUninterruptibly()));
        InetSocketAddress a = (InetSocketAddress) server.localAddress();
        System.out.println("Floor listening on http://" + a.getHostString() + ":" + a.getPort() + " ("
                + (epoll ? "epoll" : "nio") + ", " + threads + " event loop(s))");
        server.closeFuture().sync();
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    /** The plain HTTP the bench needs (a ticket stub and a health check); upgrades pass on to Netty's handler. */
    private final class Http extends SimpleChannelInboundHandler<FullHttpRequest> {
        Http() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String uri = req.uri();
            if (uri.startsWith("/ws")) {
                ctx.fireChannelRead(req);
                return;
            }
            HttpResponseStatus status = uri.startsWith("/auth/token") || uri.equals("/healthz")
                    ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND;
            byte[] body = status == HttpResponseStatus.OK ? TOKEN : new byte[0];
            req.release();
            DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.wrappedBuffer(body));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            ctx.writeAndFlush(res);
        }
    }

    /**
     * Text frames after the upgrade: subscribe, publish, echo, found by byte search. Writes made while reading
     * are flushed once when the read batch ends ({@code channelReadComplete}, Netty's own idiom): a publication
     * that arrives alone costs one write pass and one flush pass; publications that arrive together reach each
     * subscriber in one syscall, which is the least any server can spend on them.
     */
    private final class Frames extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private final List<String> subscribed = new ArrayList<>();
        /** Channels written to during the current read batch; event loop only. */
        private final java.util.Set<Channel> unflushed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                ctx.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(WELCOME)));
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            ByteBuf in = frame.content();
            String type = EnvelopeBytes.string(in, "\"type\":\"");
            if (type == null) {
                return;
            }
            switch (type) {
                case "publish" -> fanOut(in);
                case "subscribe" -> {
                    String channel = EnvelopeBytes.string(in, "\"channel\":\"");
                    channels.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>()).add(ctx.channel());
                    subscribed.add(channel);
                    reply(ctx, EnvelopeBytes.string(in, "\"id\":\""), null);
                }
                default -> reply(ctx, EnvelopeBytes.string(in, "\"id\":\""), EnvelopeBytes.data(in, 1));
            }
        }

        /** One frame, encoded once, written to every subscriber. */
        private void fanOut(ByteBuf publish) {
            String channel = EnvelopeBytes.string(publish, "\"channel\":\"");
            List<Channel> subscribers = channels.get(channel);
            if (subscribers == null || subscribers.isEmpty()) {
                return;
            }
            ByteBuf data = EnvelopeBytes.data(publish, 2);
            ByteBuf frame = WireFrame.text(("{\"type\":\"message\",\"channel\":\"" + channel + "\",\"data\":")
                    .getBytes(StandardCharsets.UTF_8), data, (byte) '}');
            try {
                for (Channel c : subscribers) {
                    c.write(frame.retainedDuplicate(), c.voidPromise());
                    unflushed.add(c);
                }
            } finally {
                frame.release();
            }
        }

        private void reply(ChannelHandlerContext ctx, String id, ByteBuf data) {
            byte[] head = ("{\"type\":\"reply\",\"re\":\"" + id + "\"" + (data == null ? "" : ",\"data\":"))
                    .getBytes(StandardCharsets.UTF_8);
            ctx.write(WireFrame.text(head, data == null ? Unpooled.EMPTY_BUFFER : data, (byte) '}'), ctx.voidPromise());
            unflushed.add(ctx.channel());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            for (Channel c : unflushed) {
                c.flush();
            }
            unflushed.clear();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            for (String channel : subscribed) {
                List<Channel> subs = channels.get(channel);
                if (subs != null) {
                    subs.remove(ctx.channel());
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
