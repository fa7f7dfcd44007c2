package dev.switchboard.server.transport;

import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.server.delivery.Connection;
import dev.switchboard.server.delivery.Hub;
import dev.switchboard.server.routing.ClientSettings;
import dev.switchboard.server.routing.Endpoint;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty server: one port for HTTP and WebSocket, epoll when the platform has it, NIO otherwise. */
public final class GatewayServer {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final TransportSettings settings;
    private final Hub hub;
    private final Map<String, Endpoint> endpoints;
    private final HttpRoutes routes;
    private final OriginPolicy origins;
    private final ClientSettings clientSettings;
    private final Clock clock;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;
    private Heartbeats heartbeats;

    public GatewayServer(TransportSettings settings, Hub hub, Map<String, Endpoint> endpoints, HttpRoutes routes,
                         OriginPolicy origins, ClientSettings clientSettings, Clock clock) {
        this.settings = settings;
        this.hub = hub;
        this.endpoints = Map.copyOf(endpoints);
        this.routes = routes;
        this.origins = origins;
        this.clientSettings = clientSettings;
        this.clock = clock;
    }

    /** Binds and starts serving; returns the bound address. */
    public InetSocketAddress start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        boss = new MultiThreadIoEventLoopGroup(1, io);
        workers = new MultiThreadIoEventLoopGroup(settings.ioThreads(), io);
        WebSocketUpgrader upgrader = new WebSocketUpgrader(settings, hub, clientSettings, clock);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // Writability flips at 256 KiB; the slow-consumer limit (maxOutboundBytes) is checked past it.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(128 * 1024, 256 * 1024))
                .childHandler(new GatewayChannelInitializer(settings,
                        () -> new HttpRouter(endpoints, routes, origins, upgrader)));
        serverChannel = b.bind(settings.host(), settings.port()).sync().channel();
        heartbeats = new Heartbeats(hub, settings, clock);
        heartbeats.start(workers);
        log.debug("transport: {}", epoll ? "epoll" : "nio");
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Whether the server is bound and not draining. */
    public boolean isAccepting() {
        return serverChannel != null && serverChannel.isActive();
    }

    /**
     * Graceful drain: stop accepting, close every connection with 1001 (clients reconnect elsewhere), wait up
     * to the drain timeout for them to go, then stop the event loops.
     */
    public void stop() {
        if (serverChannel == null) {
            return;
        }
        serverChannel.close().awaitUninterruptibly();
        if (heartbeats != null) {
            heartbeats.stop();
        }
        for (Connection c : hub.connections()) {
            c.close(CloseCodes.GOING_AWAY, "server shutting down");
        }
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (hub.connectionCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // polling a counter while shutting down; nothing to latch on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
