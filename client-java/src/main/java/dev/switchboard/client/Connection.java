package dev.switchboard.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket of a {@link SwitchboardClient}, as the last handler of a Netty pipeline
 * (HTTP codec → WebSocket handshake and control frames → fragment aggregation → this). A new instance (a new
 * {@link #generation}) per connection attempt, so events from an old socket can be told apart and ignored.
 * Netty's channel writes are thread-safe and keep call order, which is what serialises our sends.
 */
final class Connection extends SimpleChannelInboundHandler<WebSocketFrame> {

    /** Largest message accepted from the server (a history page can be big). */
    static final int MAX_INBOUND_MESSAGE = 16 * 1024 * 1024;
    /** How long a client-initiated close waits for the server's close frame before dropping the socket. */
    private static final long CLOSE_GRACE_MILLIS = 1000;

    final long generation;
    private final Lifecycle client;
    private final Inbound inbound;
    private final long heartbeatMillis;
    private final FrameListener frames;
    private volatile Channel channel;
    private volatile long lastReadNanos = System.nanoTime();
    private volatile ScheduledFuture<?> watchdog;
    /** We sent a close frame: the server's close is then the answer, not to be answered again. */
    private volatile boolean closeSent;
    // event-loop confined
    private int closeCode = Lifecycle.ABNORMAL_CLOSURE;
    private String closeReason = "";

    Connection(Lifecycle client, Inbound inbound, long generation, long heartbeatMillis, FrameListener frames) {
        this.client = client;
        this.frames = frames;
        this.inbound = inbound;
        this.generation = generation;
        this.heartbeatMillis = heartbeatMillis;
    }

    /**
     * Resolves, connects and upgrades (call it off the event loop: name resolution may block). Every outcome ends
     * in {@link Lifecycle#onOpen} or {@link Lifecycle#onDisconnected}.
     */
    void connect(URI uri, EventLoopGroup group, int timeoutMillis, InetAddress localAddress, SslContext ssl) {
        boolean tls = "wss".equalsIgnoreCase(uri.getScheme());
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .handleCloseFrames(false) // we want the close code and reason, so this handler answers closes
                .handshakeTimeoutMillis(timeoutMillis)
                .maxFramePayloadLength(MAX_INBOUND_MESSAGE)
                .build();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channel = ch; // here, not after connect() returns: the welcome can arrive before that
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("activity", new ActivityTracker()); // raw bytes, so pings count too
                        if (ssl != null) {
                            p.addLast("tls", ssl.newHandler(ch.alloc(), host, port));
                        }
                        p.addLast("http", new HttpClientCodec());
                        p.addLast("handshake-response", new HttpObjectAggregator(64 * 1024));
                        p.addLast("websocket", new WebSocketClientProtocolHandler(ws)); // answers pings itself
                        p.addLast("fragments", new WebSocketFrameAggregator(MAX_INBOUND_MESSAGE));
                        p.addLast("switchboard", Connection.this);
                    }
                });
        InetSocketAddress remote = new InetSocketAddress(host, port); // resolved here, not on the event loop
        if (remote.isUnresolved()) {
            client.onDisconnected(generation, Lifecycle.ABNORMAL_CLOSURE, "cannot resolve " + host);
            return;
        }
        ChannelFuture connecting = localAddress == null ? bootstrap.connect(remote)
                : bootstrap.connect(remote, new InetSocketAddress(localAddress, 0));
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                client.onDisconnected(generation, Lifecycle.ABNORMAL_CLOSURE,
                        Lifecycle.describe(f.cause()));
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            if (!client.onOpen(this)) {
                ctx.close(); // a stale attempt: the client closed or moved on meanwhile
                return;
            }
            if (heartbeatMillis > 0) {
                // the server pings every ping-interval; hearing nothing for much longer means a dead peer that
                // TCP alone would not report for minutes (a half-open connection)
                watchdog = ctx.executor().scheduleWithFixedDelay(this::checkHeartbeat,
                        Math.max(50, heartbeatMillis / 4), Math.max(50, heartbeatMillis / 4), TimeUnit.MILLISECONDS);
            }
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            closeReason = "WebSocket handshake timed out";
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            String received = text.text();
            frames.received(received);
            inbound.onFrame(this, received);
        } else if (frame instanceof CloseWebSocketFrame close) {
            closeCode = close.statusCode() > 0 ? close.statusCode() : 1005; // 1005: "no status received"
            closeReason = close.reasonText() == null ? "" : close.reasonText();
            if (closeSent) {
                ctx.close(); // the answer to our own close: the closing handshake is complete
            } else {
                // echo the close (RFC 6455 §5.5.1) and end; channelInactive reports the server's code and reason
                closeSent = true;
                ctx.writeAndFlush(new CloseWebSocketFrame(closeCode == 1005 ? 1000 : closeCode, ""))
                        .addListener(f -> ctx.close());
            }
        }
        // binary frames are not part of the protocol: ignored
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closeReason.isEmpty()) {
            closeReason = Lifecycle.describe(cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopWatchdog();
        client.onDisconnected(generation, closeCode,
                closeReason.isEmpty() && closeCode == Lifecycle.ABNORMAL_CLOSURE ? "connection lost" : closeReason);
        super.channelInactive(ctx);
    }

    /** Writes a frame; Netty keeps the order of calls from any thread. A failed write closes the channel. */
    void send(String text) {
        Channel ch = channel;
        if (ch != null) {
            frames.sent(text);
            ch.writeAndFlush(new TextWebSocketFrame(text));
        }
    }

    /** Sends a close frame after queued frames, and drops the socket if the server does not answer in time. */
    void close(int code, String reason) {
        stopWatchdog();
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            closeSent = true;
            ch.writeAndFlush(new CloseWebSocketFrame(code, reason));
            ch.eventLoop().schedule(() -> ch.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } else if (ch != null) {
            ch.close();
        }
    }

    /** Drops the socket at once: it is already dead or no longer wanted. */
    void abandon() {
        stopWatchdog();
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    private void checkHeartbeat() {
        long silentMillis = (System.nanoTime() - lastReadNanos) / 1_000_000;
        if (silentMillis > heartbeatMillis) {
            stopWatchdog();
            closeReason = "heartbeat timeout: nothing from the server for " + silentMillis + " ms";
            channel.close(); // channelInactive reports it with this reason
        }
    }

    private void stopWatchdog() {
        ScheduledFuture<?> w = watchdog;
        if (w != null) {
            w.cancel(false);
        }
    }

    /** Notes the time of every read, before any decoding: WebSocket pings are life signs too. */
    private final class ActivityTracker extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            lastReadNanos = System.nanoTime();
            ctx.fireChannelRead(msg);
        }
    }
}
