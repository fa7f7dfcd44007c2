package dev.switchboard.server.internal.transport;

import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.routing.NodeServices;
import dev.switchboard.server.internal.observe.TrustedProxies;
import dev.switchboard.server.internal.routing.ClientSettings;
import dev.switchboard.server.internal.routing.CredentialExpiry;
import dev.switchboard.server.internal.routing.EndpointRoutes;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty server: one port for HTTP and WebSocket, on the socket transport {@link IoTransport} loads. */
public final class GatewayServer {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final TransportSettings settings;
    private final NodeServices node;
    private final Map<String, EndpointRoutes> endpoints;
    private final HttpRoutes routes;
    private final OriginPolicy origins;
    private final ClientSettings clientSettings;
    private final Clock clock;
    private final CredentialExpiry expiry;
    private EventLoopGroup workers;
    private Channel serverChannel;
    private Heartbeats heartbeats;
    private volatile String transportInUse = "not started";
    private static final long SPREAD_STEP_MILLIS = 50;
    /** Sockets still speaking plain HTTP (keep-alive API clients); upgraded ones leave it. Closed on drain. */
    private final ChannelGroup httpChannels = new DefaultChannelGroup("http", GlobalEventExecutor.INSTANCE);

    private final AccessLog accessLog;
    private final TrustedProxies proxies;

    public GatewayServer(TransportSettings settings, NodeServices node, Map<String, EndpointRoutes> endpoints, HttpRoutes routes,
                         OriginPolicy origins, ClientSettings clientSettings, CredentialExpiry expiry, Clock clock,
                         AccessLog accessLog, TrustedProxies proxies) {
        this.accessLog = accessLog;
        this.proxies = proxies;
        this.expiry = expiry;
        this.settings = settings;
        this.node = node;
        this.endpoints = Map.copyOf(endpoints);
        this.routes = routes;
        this.origins = origins;
        this.clientSettings = clientSettings;
        this.clock = clock;
    }

    /** Binds and starts serving; returns the bound address. */
    public InetSocketAddress start(IoLoops loops) throws InterruptedException {
        IoTransport.Loaded io = loops.transport();
        workers = loops.group();
        ConnectionOpener opener = new ConnectionOpener(settings, node, clientSettings, clock, httpChannels, accessLog,
                proxies);
        WebSocketUpgrader upgrader = new WebSocketUpgrader(opener);
        routes.streams().forEach(s -> s.bind(opener));
        ServerBootstrap b = new ServerBootstrap()
                // Accepting on one of the workers (no boss thread): with one loop, an accepted socket is served
                // by the thread that accepted it, without a hand-off (measured: fewer wake-ups per connect).
                .group(workers)
                .channel(io.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // Writability flips at 256 KiB; the slow-consumer limit (maxOutboundBytes) is checked past it.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(128 * 1024, 256 * 1024))
                // Reads into 4 KiB buffers, one allocator for all sockets: Netty's default is an adaptive allocator
                // per channel with a sizing calculator per socket (about 130 bytes on every idle connection) that
                // only pays off for sustained large inbound messages; a gateway's inbound frames are small, and a
                // big one is read in several 4 KiB reads of the same event-loop pass.
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, new io.netty.channel.FixedRecvByteBufAllocator(4096))
                .childHandler(new GatewayChannelInitializer(settings, httpChannels,
                        () -> new HttpRouter(endpoints, routes, origins, upgrader, accessLog, proxies,
                                clientSettings.tracing())));
        serverChannel = b.bind(settings.host(), settings.port()).sync().channel();
        heartbeats = new Heartbeats(node.registry(), settings, clock, expiry);
        heartbeats.start(workers);
        if (settings.tls() != null) {
            settings.tls().watch(workers);
        }
        transportInUse = io.describe();
        log.info("transport: {}, {} event loop(s)", transportInUse, loops.threads());
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Closes {@code connections} with 1012 in equal batches over {@code spread} (all at once when zero). */
    private static void closeSpread(List<Connection> connections, Duration spread) {
        Collections.shuffle(connections); // not by age: the oldest clients should not always be the first to move
        long steps = Math.max(1, Math.min(connections.size(), spread.toMillis() / SPREAD_STEP_MILLIS));
        long start = System.nanoTime();
        for (int step = 0; step < steps; step++) {
            int from = (int) (connections.size() * step / steps);
            int to = (int) (connections.size() * (step + 1) / steps);
            for (Connection c : connections.subList(from, to)) {
                c.close(CloseCodes.RESTARTING, "server restarting, reconnect");
            }
            long next = start + TimeUnit.MILLISECONDS.toNanos(spread.toMillis() * (step + 1) / steps);
            long wait = next - System.nanoTime();
            if (step + 1 < steps && wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing the closes themselves: nothing to wait for but time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    connections.subList(to, connections.size()).forEach(c -> c.close(CloseCodes.RESTARTING,
                            "server restarting, reconnect"));
                    return;
                }
            }
        }
    }

    /** The socket transport serving (e.g. "epoll (auto)"), for /readyz and the log. */
    public String transportInUse() {
        return transportInUse;
    }

    /** Whether the server is bound and not draining. */
    public boolean isAccepting() {
        return serverChannel != null && serverChannel.isActive();
    }

    /**
     * Graceful drain: stop accepting, close every connection with 1012 (restarting: clients reconnect at once,
     * to another node) spread over the shutdown spread, so a node's clients do not all land on the others in
     * the same second; wait up to the drain timeout for them to go. The event loops are the gateway's
     * ({@link IoLoops}): it stops them last, after the last webhooks have gone out on them.
     */
    public void stop() {
        if (serverChannel == null) {
            return;
        }
        serverChannel.close().awaitUninterruptibly();
        if (heartbeats != null) {
            heartbeats.stop();
        }
        // Idle keep-alive HTTP sockets would otherwise stay open (and unanswered) until the loops stop.
        httpChannels.close().awaitUninterruptibly(settings.drainTimeout().toMillis());
        closeSpread(new ArrayList<>(node.registry().connections()), settings.shutdownSpread());
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (node.registry().connectionCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // polling a counter while shutting down; nothing to latch on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
}
