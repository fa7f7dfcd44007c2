package dev.switchboard.client;

import dev.switchboard.protocol.SerialExecutor;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLException;

/** Configures a {@link SwitchboardClient}; only {@link #url} is required. */
public final class SwitchboardClientBuilder {

    private static final System.Logger LOG = System.getLogger(SwitchboardClient.class.getName());

    private URI url;
    private Supplier<? extends CompletionStage<String>> tokens;
    private Duration reconnectMin = Duration.ofMillis(500);
    private Duration reconnectMax = Duration.ofSeconds(20);
    private double reconnectFactor = 2.0;
    private ConnectionListener listener = event -> { };
    private Consumer<Message> onMessage = message -> { };
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration heartbeatTimeout = Duration.ofSeconds(75);
    private EventLoopGroup group;
    private InetAddress localAddress;
    private Executor callbackExecutor;
    private RandomGenerator random = RandomGenerator.getDefault();
    private Path trustedCertificates;
    private FrameListener frames = FrameListener.NONE;

    SwitchboardClientBuilder() {
    }

    /** The endpoint, e.g. {@code ws://localhost:8080/ws}. */
    public SwitchboardClientBuilder url(String url) {
        return url(URI.create(url));
    }

    /** The endpoint, e.g. {@code ws://localhost:8080/ws}. */
    public SwitchboardClientBuilder url(URI url) {
        this.url = url;
        return this;
    }

    /** A fixed ticket. Tickets expire (60 s by default), so prefer {@link #tokenSupplier} for long-lived clients. */
    public SwitchboardClientBuilder token(String token) {
        Objects.requireNonNull(token, "token");
        return tokenSupplier(() -> CompletableFuture.completedFuture(token));
    }

    /** Called before every connection attempt for a fresh ticket; a failure counts as a failed attempt. */
    public SwitchboardClientBuilder tokenSupplier(Supplier<? extends CompletionStage<String>> tokens) {
        this.tokens = tokens;
        return this;
    }

    /**
     * Reconnect delays: retry {@code n} waits a random time in {@code [0, min(max, min * factor^n)]}
     * (full jitter). Defaults: 500 ms, 20 s, 2.
     */
    public SwitchboardClientBuilder reconnect(Duration min, Duration max, double factor) {
        new Backoff(min, max, factor); // validate now, not at the first disconnect
        this.reconnectMin = min;
        this.reconnectMax = max;
        this.reconnectFactor = factor;
        return this;
    }

    /** Connection state changes. */
    public SwitchboardClientBuilder listener(ConnectionListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Messages that are not channel publications: direct messages to this user and broadcasts. */
    public SwitchboardClientBuilder onMessage(Consumer<Message> onMessage) {
        this.onMessage = Objects.requireNonNull(onMessage, "onMessage");
        return this;
    }

    /** Default timeout of {@link SwitchboardClient#request(String, Object)} and the typed helpers. Default 10 s. */
    public SwitchboardClientBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** Sees every frame sent and received, as on the wire (protocol logs, debugging). */
    public SwitchboardClientBuilder frameListener(FrameListener frames) {
        this.frames = Objects.requireNonNull(frames, "frames");
        return this;
    }

    /** Timeout of the TCP connect and WebSocket handshake. Default 10 s. */
    public SwitchboardClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /**
     * Reconnect when nothing (not even a ping) arrived for this long. The server pings every 25 s by
     * default, so the default of 75 s tolerates two lost pings. {@link Duration#ZERO} disables the check.
     */
    public SwitchboardClientBuilder heartbeatTimeout(Duration timeout) {
        this.heartbeatTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /**
     * The Netty event loops to run the socket on. Default: two daemon threads shared by all clients in the
     * JVM, which is plenty for thousands of connections; a load generator may pass its own.
     */
    public SwitchboardClientBuilder eventLoopGroup(EventLoopGroup group) {
        this.group = group;
        return this;
    }

    /** The local address to connect from (e.g. 127.0.0.2 to get past one source address's port range). */
    public SwitchboardClientBuilder localAddress(InetAddress localAddress) {
        this.localAddress = localAddress;
        return this;
    }

    /**
     * Where callbacks run (one at a time, in order, whatever the executor). It must not run tasks on the
     * calling thread. Default: a new virtual thread per burst of callbacks.
     */
    public SwitchboardClientBuilder callbackExecutor(Executor executor) {
        this.callbackExecutor = executor;
        return this;
    }

    /**
     * Trusts the certificates (a CA, or the server's own) in this PEM file for {@code wss://}, instead of the JDK's
     * trust store: how a client reaches a gateway whose certificate a private CA issued. The host name is
     * still verified against the certificate.
     */
    public SwitchboardClientBuilder trustedCertificates(Path pem) {
        this.trustedCertificates = pem;
        return this;
    }

    /** The random source of the jitter (tests make it deterministic). */
    SwitchboardClientBuilder random(RandomGenerator random) {
        this.random = random;
        return this;
    }

    /** Builds the client; it does not connect until {@link SwitchboardClient#connect()}. */
    public SwitchboardClient build() {
        Objects.requireNonNull(url, "url");
        if (!"ws".equalsIgnoreCase(url.getScheme()) && !"wss".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("url must be ws://host[:port]/path or wss://..., not " + url);
        }
        SerialExecutor callbacks = new SerialExecutor(callbackExecutor != null ? callbackExecutor
                : task -> Thread.ofVirtual().name("switchboard-callbacks").start(task),
                t -> LOG.log(System.Logger.Level.WARNING, "a Switchboard client callback threw", t));
        return new SwitchboardClient(new ClientSettings(url, tokens, new Backoff(reconnectMin, reconnectMax, reconnectFactor),
                listener, onMessage, requestTimeout, connectTimeout, heartbeatTimeout.toMillis(),
                group != null ? group : DefaultGroup.GROUP, localAddress, callbacks, random, tls(), frames));
    }

    /** The TLS context of every wss:// attempt (built once): the JDK's trust, or the given certificates. */
    private SslContext tls() {
        if (!"wss".equalsIgnoreCase(url.getScheme())) {
            return null;
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
            if (trustedCertificates != null) {
                builder.trustManager(trustedCertificates.toFile());
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The event loops used when none are given: shared by every client in the JVM, daemon threads. */
    private static final class DefaultGroup {
        static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(
                Math.min(2, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("switchboard-client", true), NioIoHandler.newFactory());
    }
}
