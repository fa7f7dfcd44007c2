package dev.switchboard.bench.client;

import dev.switchboard.bench.targets.BenchTls;
import io.netty.handler.ssl.SslContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Netty load client: a few event-loop threads (epoll when the native transport loads) multiplex every
 * connection, so 19,000 sockets cost a few threads, not 19,000. Connections to a 127.0.0.1 target are spread
 * over the source addresses 127.0.0.2 .. 127.0.0.254, so one source address's ephemeral ports never cap a run.
 */
public final class LoadClient implements AutoCloseable {

    /** Loopback source addresses usable without setup: 127.0.0.2 .. 127.0.0.254. */
    static final int SOURCE_ADDRESSES = 253;
    private static final int MAX_FRAME_PAYLOAD = 1 << 20;

    /** Upgrade request bytes per target URI (a run uses a handful of tickets, so a handful of URIs). */
    private final Map<URI, ByteBuf> requests = new ConcurrentHashMap<>();

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final boolean epoll;

    /** A client with {@code threads} event loops. */
    public LoadClient(int threads) {
        epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(threads, io);
        channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** "epoll" or "nio": which transport the client runs on. */
    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    /** The source address for connection {@code index}, or null to let the OS choose. */
    static InetSocketAddress sourceAddress(URI target, int index) {
        if (!"127.0.0.1".equals(target.getHost()) && !"localhost".equals(target.getHost())) {
            return null;
        }
        return new InetSocketAddress("127.0.0." + (2 + Math.floorMod(index, SOURCE_ADDRESSES)), 0);
    }

    /**
     * Opens a WebSocket to {@code endpoint} (whose URI carries the ticket as {@code token=}); the returned future
     * completes when the server has welcomed the connection in its dialect.
     */
    public CompletableFuture<BenchConnection> connect(WsEndpoint endpoint, int index, Inbound inbound) {
        URI wsUri = endpoint.uri();
        BenchConnection connection = new BenchConnection(index, endpoint.dialect(), inbound);
        ByteBuf request = requests.computeIfAbsent(wsUri, LeanHandshake::request);
        SslContext tls;
        try {
            tls = "wss".equals(wsUri.getScheme()) ? BenchTls.nettyClient() : null;
        } catch (java.io.IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), wsUri.getHost(), wsUri.getPort()));
                        }
                        ch.pipeline().addLast("handshake", new LeanHandshake(request, MAX_FRAME_PAYLOAD, connection));
                        ch.pipeline().addLast("connection", connection);
                    }
                });
        InetSocketAddress remote = new InetSocketAddress(wsUri.getHost(), wsUri.getPort());
        InetSocketAddress local = sourceAddress(wsUri, index);
        ChannelFuture f = local == null ? bootstrap.connect(remote) : bootstrap.connect(remote, local);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                connection.welcomed().completeExceptionally(done.cause());
            }
        });
        return connection.welcomed();
    }

    /** Runs {@code task} on the event loop that owns {@code channel}. */
    public static void onLoop(Channel channel, Runnable task) {
        channel.eventLoop().execute(task);
    }

    /** The event loops, for scheduling paced senders. */
    public EventLoopGroup group() {
        return group;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
