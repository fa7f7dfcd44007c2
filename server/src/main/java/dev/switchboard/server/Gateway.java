package dev.switchboard.server;

import dev.switchboard.server.internal.api.OpsEndpoints;
import dev.switchboard.protocol.GlobPattern;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.internal.delivery.Hub;
import dev.switchboard.server.internal.delivery.ChannelMembership;
import dev.switchboard.server.internal.hooks.NativeChannelEvents;
import dev.switchboard.server.internal.pusher.Pusher;
import dev.switchboard.server.internal.delivery.ChannelFormats;
import dev.switchboard.server.internal.delivery.ChannelPolicies;
import dev.switchboard.server.internal.delivery.LocalRegistry;
import dev.switchboard.server.internal.operations.Operations;
import dev.switchboard.server.internal.routing.NodeServices;
import dev.switchboard.server.app.GatewayApi;
import dev.switchboard.server.internal.sse.EventStreams;
import dev.switchboard.server.internal.transport.AccessLog;
import dev.switchboard.server.internal.observe.TrustedProxies;
import dev.switchboard.server.internal.observe.Tracing;
import dev.switchboard.server.bridge.Bridge;
import dev.switchboard.server.bridge.BridgeContext;
import dev.switchboard.server.bridge.kafka.KafkaBridge;
import dev.switchboard.server.engine.Engines;
import dev.switchboard.server.internal.handlers.BuiltinHandlers;
import dev.switchboard.server.internal.handlers.DemoStreamHandler;
import dev.switchboard.server.internal.routing.ClientMetrics;
import dev.switchboard.server.internal.hooks.EventFanout;
import dev.switchboard.server.app.GatewayEvents;
import dev.switchboard.server.internal.hooks.HookChain;
import dev.switchboard.server.app.LifecycleHooks;
import dev.switchboard.server.internal.routing.ClientSettings;
import dev.switchboard.server.internal.routing.CredentialExpiry;
import dev.switchboard.server.app.Endpoint;
import dev.switchboard.server.internal.routing.EndpointRoutes;
import dev.switchboard.server.internal.transport.GatewayServer;
import dev.switchboard.server.internal.transport.HttpRoutes;
import dev.switchboard.server.internal.transport.OriginPolicy;
import dev.switchboard.server.internal.transport.TransportSettings;
import dev.switchboard.server.internal.transport.IoLoops;
import dev.switchboard.server.internal.transport.IoTransport;
import dev.switchboard.server.internal.outbound.client.BackendClient;
import dev.switchboard.server.internal.transport.ServerTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway node, wired from a {@link GatewayConfig}: the embeddable entry point.
 * <pre>{@code
 * Gateway gw = new Gateway(config);
 * gw.endpoint("/ws").on("chat.prompt", (ctx, msg) -> ctx.reply(answer(msg.data())));
 * gw.start();
 * }</pre>
 */
public final class Gateway implements AutoCloseable {

    /** The API key dev mode uses when none is configured. */
    public static final String DEV_API_KEY = "dev-api-key";

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** Events waiting for slow listeners beyond which new ones are dropped (and counted). */
    private static final int MAX_QUEUED_EVENTS = 100_000;

    private final GatewayConfig config;
    private final Clock clock;
    private final String nodeId;
    private final Map<String, EndpointRoutes> endpoints = new LinkedHashMap<>();
    private final NodeMeters meters;
    private final MeterRegistry metrics;
    private final Engines engines;
    private final LocalRegistry registry;
    private final ChannelMembership membership;
    /** What channels keep and how they are written: namespaces of the config, and of protocol adapters. */
    private final ChannelPolicies policies;
    private final ChannelFormats formats = new ChannelFormats();
    /** The Pusher Channels adapter, when apps are configured. */
    private final Pusher pusher;
    /** Durable Streams: the store of resumable replies and the HTTP protocol over it. */
    private final NodeStreams streams;
    private final Hub hub;
    private final Operations operations;
    private final byte[] hmacSecret;
    private final List<LifecycleHooks> inProcessHooks = new ArrayList<>();
    private final List<GatewayEvents> listeners = new ArrayList<>();
    private final List<Bridge> bridges = new ArrayList<>();
    private BackendHooks backendHooks;
    /** The event loops: the server's sockets and the backend calls' ({@link BackendClient}), stopped last. */
    private IoLoops loops;
    private Tracing tracing;
    private io.opentelemetry.api.OpenTelemetry embedderTelemetry;
    private GatewayServer server;
    private ServerTls tls;
    private InetSocketAddress address;
    /** Set by {@link #shutdown()}: /readyz answers 503 from then on. */
    private volatile boolean shuttingDown;

    public Gateway(GatewayConfig config) {
        this(config, Clock.systemUTC());
    }

    public Gateway(GatewayConfig config, Clock clock) {
        this(config, clock, new EngineChoice(config, clock));
    }

    /**
     * A node on engines of the caller's choosing (its own broker or presence manager, or a test's); the
     * configuration's {@code --engine} is then ignored.
     */
    public Gateway(GatewayConfig config, Clock clock, Engines.Provider engines) {
        this(config, clock, engines, null);
    }

    /** A node whose meters also go to {@code shared}, the embedding application's registry, besides /metrics. */
    public Gateway(GatewayConfig config, MeterRegistry shared) {
        this(config, Clock.systemUTC(), new EngineChoice(config, Clock.systemUTC()), shared);
    }

    private Gateway(GatewayConfig config, Clock clock, Engines.Provider engines, MeterRegistry shared) {
        this.meters = new NodeMeters(shared);
        this.metrics = meters.registry();
        this.config = config;
        this.clock = clock;
        this.nodeId = config.nodeId != null ? config.nodeId : UUID.randomUUID().toString().substring(0, 6);
        this.hmacSecret = NodeSettings.hmacSecret(config);
        this.engines = engines.open(nodeId);
        this.registry = new LocalRegistry(metrics);
        this.policies = NodeSettings.channelPolicies(config);
        this.pusher = NodeSettings.pusher(config, nodeId);
        if (pusher != null) {
            pusher.register(policies, formats);
        }
        this.streams = NodeStreams.open(config, clock);
        this.membership = new ChannelMembership(registry, this.engines.broker(), this.engines.presence(), policies,
                formats, clock);
        this.hub = new Hub(this.engines, registry, membership, clock, metrics);
        this.operations = new Operations(hub, registry, membership, this.engines, nodeId, clock);
        for (String spec : config.endpoints) {
            List<String> parts = List.of(spec.split(":"));
            routes(parts.get(0), parts.contains("anonymous")).resumableByDefault(parts.contains("resumable"));
        }
        routes("/ws", false);
        if (config.demoHandlers) {
            endpoints.get("/ws").on(DemoStreamHandler.TYPE, new DemoStreamHandler(50));
        }
    }

    /** The endpoint at {@code path}, created (with the built-ins, authenticated) when new. */
    public Endpoint endpoint(String path) {
        return endpoint(path, false);
    }

    /** The endpoint at {@code path}; created with the built-ins and the given policy when new. */
    public synchronized Endpoint endpoint(String path, boolean anonymous) {
        return routes(path, anonymous);
    }

    private synchronized EndpointRoutes routes(String path, boolean anonymous) {
        return endpoints.computeIfAbsent(path, p -> {
            EndpointRoutes e = new EndpointRoutes(p, anonymous);
            BuiltinHandlers.install(e);
            return e;
        });
    }

    /**
     * Adds in-process decisions about connections (connect, refresh, subscribe, publish), asked before the
     * HTTP hooks of the configuration. Call before {@link #start()}.
     */
    public synchronized Gateway hooks(LifecycleHooks hooks) {
        inProcessHooks.add(hooks);
        return this;
    }

    /** Adds a listener of connects, disconnects, channel occupancy and presence. Call before {@link #start()}. */
    public synchronized Gateway events(GatewayEvents listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Adds a bridge to a streaming platform (the configuration's {@code --kafka-*} adds the Kafka one). Call
     * before {@link #start()}.
     */
    public synchronized Gateway bridge(Bridge bridge) {
        bridges.add(bridge);
        return this;
    }

    /**
     * Traces into the embedder's OpenTelemetry (its exporters, its sampler) instead of {@code --otel-endpoint}.
     * Call before {@link #start()}.
     */
    public synchronized Gateway openTelemetry(io.opentelemetry.api.OpenTelemetry otel) {
        this.embedderTelemetry = otel;
        return this;
    }

    /** Binds the port and starts serving. */
    public synchronized Gateway start() throws InterruptedException {
        tracing = embedderTelemetry != null ? Tracing.using(embedderTelemetry)
                : config.otelEndpoint != null ? Tracing.otlp(config.otelEndpoint, config.otelServiceName, nodeId)
                : Tracing.OFF;
        hub.tracing(tracing);
        loops = IoLoops.open(IoTransport.parse(config.transport), config.ioThreads);
        BackendClient backends = new BackendClient(loops.group(), loops.transport().socketChannel());
        backendHooks = new BackendHooks(config, nodeId, clock, metrics, tracing, backends);
        List<LifecycleHooks> allHooks = new ArrayList<>(inProcessHooks);
        allHooks.add(backendHooks.hooks());
        LifecycleHooks hooks = HookChain.of(allHooks);
        List<GatewayEvents> allListeners = new ArrayList<>(listeners);
        allListeners.add(NativeChannelEvents.of(backendHooks.events(), policies::nativeClients));
        if (pusher != null) {
            allListeners.add(pusher.webhooks(config.webhookQueue, config.webhookRetries, config.webhookTimeout, clock,
                    backends, metrics));
        }
        GatewayEvents events = EventFanout.of(allListeners, MAX_QUEUED_EVENTS, metrics);
        backendHooks.installRpc(endpoints.values());
        NodeSettings.llm(config).ifPresent(llm -> endpoints.values().forEach(e -> e.on(config.llmType, llm)));
        if (config.streams) {
            endpoints.values().forEach(streams.replies(nodeId, engines.nodes(), config)::install);
        }
        membership.events(events, nodeId);
        membership.vacatedDelay(config.vacatedDelay);
        GatewayEvents connectionEvents = membership.connectionEvents();
        hub.start(nodeId);
        if (config.kafka.bootstrap != null) {
            bridges.add(new KafkaBridge(NodeSettings.kafka(config)));
        }
        NodeServices node = new NodeServices(registry, membership, operations);
        HttpRoutes routes = NodeRoutes.build(config, operations, hmacSecret, clock, meters.own(),
                new OpsEndpoints(this::isAccepting, engines::isReady, () -> bridges.stream().collect(Collectors.toMap(
                        Bridge::name, Bridge::isReady, Boolean::logicalAnd, LinkedHashMap::new)), meters.own()));
        NodeRoutes.bindJvmMetrics(meters.own());
        NodeRoutes.bindBackplaneMetrics(metrics, engines.broker());

        ClientSettings clientSettings = NodeSettings.client(config, nodeId, hmacSecret, clock,
                new ClientMetrics(metrics), hooks, connectionEvents, tracing);
        tls = NodeSettings.tls(config, metrics);
        streams.install(config, routes, clientSettings.verifier(), tls != null, clock);
        TransportSettings transport = NodeSettings.transport(config, tls, routes.largestBody(config.maxHttpBody));
        OriginPolicy origins = new OriginPolicy(GlobPattern.list(String.join(",", config.allowedOrigins)), config.dev);
        if (config.sse) {
            new EventStreams(endpoints, origins, clientSettings, config.maxMessageSize).install(routes);
        }
        if (pusher != null) {
            pusher.install(routes, node, clock, metrics);
        }
        server = new GatewayServer(transport, node, endpoints, routes,
                origins, clientSettings,
                new CredentialExpiry(hooks, config.refreshGrace), clock,
                AccessLog.create(config.accessLog, config.accessLogOpens, config.accessLogHttp, nodeId, clock),
                TrustedProxies.parse(config.trustedProxies));
        address = server.start(loops);
        BridgeContext bridgeContext = new NodeBridgeContext(operations, nodeId, metrics);
        for (Bridge b : bridges) {
            b.start(bridgeContext);
        }
        return this;
    }

    /** The endpoint paths, in the order they were defined. */
    public synchronized List<String> endpointPaths() {
        return List.copyOf(endpoints.keySet());
    }

    /** The socket transport serving, as loaded: e.g. "epoll (auto)" or "io_uring". */
    public String transport() {
        return server == null ? "not started" : server.transportInUse();
    }

    /** Whether the node is bound and not shutting down (what /readyz answers). */
    public boolean isAccepting() {
        return !shuttingDown && server != null && server.isAccepting();
    }

    /** The TLS engine serving the port ("OpenSSL (BoringSSL)", "JDK"), or null for plain HTTP. */
    public String tls() {
        return tls == null ? null : tls.describe();
    }

    /** The engine's name (memory, redis). */
    public String engineName() {
        return engines.broker().name();
    }

    /** The bound port (after {@link #start()}). */
    public int port() {
        return address.getPort();
    }

    /** The bound address (after {@link #start()}). */
    public InetSocketAddress address() {
        return address;
    }

    public String nodeId() {
        return nodeId;
    }

    /** Publish, send, disconnect, presence, history, the cluster's counts: the HTTP API's operations, in process. */
    public GatewayApi api() {
        return operations;
    }

    /** This node's connections: for this package's tests, which look into registries. */
    LocalRegistry registry() {
        return registry;
    }

    /** Sizes of every registry, map and recovery, for leak checks: all zero when no connection is open. */
    Map<String, Integer> registrySizes() {
        Map<String, Integer> sizes = new LinkedHashMap<>(registry.sizes());
        sizes.putAll(membership.sizes());
        return sizes;
    }

    /** The engines the node runs on: for this package's tests. */
    Engines engines() {
        return engines;
    }

    /** The node's own registry (what /metrics serves). */
    public PrometheusMeterRegistry metrics() {
        return meters.own();
    }

    /** Whether the engines answer (what /readyz asks besides {@link #isAccepting()}). */
    public boolean enginesReady() {
        return engines.isReady();
    }

    /**
     * Leaves the way a rolling restart wants: /readyz answers 503 at once, the node keeps serving for
     * {@code --shutdown-delay} (a load balancer stops sending it new connections), then its connections are
     * closed with 1012 (restarting: reconnect now, elsewhere) spread over {@code --shutdown-spread}, then
     * {@link #close()}. What SIGTERM does.
     */
    public void shutdown() {
        shuttingDown = true;
        long delay = config.shutdownDelay.toMillis();
        if (delay > 0) {
            log.info("shutting down: not ready, serving {} ms more", delay);
            try {
                Thread.sleep(delay); // the load balancer's time to notice /readyz: nothing to wait for but time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
    }

    /** Drains and stops at once (no shutdown delay): see {@link GatewayServer#stop()}. */
    @Override
    public void close() {
        shuttingDown = true;
        for (Bridge b : bridges) {
            try {
                b.close(); // before the engines: a bridge's last publications and commits need them
            } catch (RuntimeException e) {
                log.warn("closing the {} bridge: {}", b.name(), e.toString());
            }
        }
        if (server != null) {
            long started = System.nanoTime();
            int open = registry.connectionCount();
            server.stop();
            server = null;
            log.info("stopped: {} connection(s) closed and drained in {} ms", open, (System.nanoTime() - started) / 1_000_000);
        }
        if (tls != null) {
            tls.close();
        }
        if (backendHooks != null) {
            backendHooks.close();
        }
        if (pusher != null) {
            pusher.close();
        }
        streams.awaitReplies(config.drainTimeout); // replies still producing finish into their streams first
        streams.close();
        if (loops != null) {
            loops.close(); // after the drain and the last webhooks, which went out on them
        }
        engines.close();
        if (tracing != null) {
            tracing.close(); // after the drain: the last spans are flushed to the collector
        }
        meters.close();
    }
}
