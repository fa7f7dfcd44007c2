package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.MessageTypes;
import dev.switchboard.protocol.ProtocolException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A Switchboard client that keeps its connection alive: it reconnects with exponential backoff and full jitter,
 * fetches a fresh ticket for every attempt, resubscribes its channels with the last position seen so missed
 * messages are recovered, and correlates requests, replies and streams.
 *
 * <pre>{@code
 * SwitchboardClient client = SwitchboardClient.builder()
 *         .url("ws://localhost:8080/ws")
 *         .tokenSupplier(DevTickets.forUser("http://localhost:8080", "alice"))
 *         .build();
 * client.connect().get(5, TimeUnit.SECONDS);
 * client.subscribe("chat:lobby", m -> System.out.println(m.from() + ": " + m.data()));
 * client.publish("chat:lobby", Map.of("text", "hi")).join();
 * }</pre>
 *
 * <h2>Threads</h2>
 * Every method is thread-safe and non-blocking. Frames are written in call order: sends from any thread go
 * through the socket's Netty channel, which queues them on its event loop. Application callbacks (connection
 * events, messages, presence, stream chunks) run one at a time, in the order the server sent things, on a
 * callback executor (default: a virtual thread) — never on the event loop, so a slow callback does not stall
 * reading. Futures returned by requests complete on the event loop or the timer thread: attach blocking work
 * with the {@code ...Async} variants, and do not block on a reply inside a subscription callback if later
 * callbacks are needed to make progress.
 *
 * <h2>While disconnected</h2>
 * Requests made while the client is (re)connecting wait for the connection and are sent once it is up, within
 * their timeout. Requests in flight when a connection drops fail with {@link SwitchboardException#DISCONNECTED}:
 * the client cannot know whether the server acted on them, so it does not resend them.
 */
public final class SwitchboardClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SwitchboardClient.class.getName());

    /** Close code reported when the socket failed without a close frame (RFC 6455's "abnormal closure"). */
    public static final int ABNORMAL_CLOSURE = 1006;
    /**
     * After these the server does not want us back as we are: 4003 (ticket rejected), 4009 (kicked by a backend).
     * Every other code, 1000 included, is followed by a reconnect: a server that means "go away" says 4009.
     */
    private static final Set<Integer> FINAL_CLOSE_CODES = Set.of(CloseCodes.AUTH_FAILED, CloseCodes.KICKED);

    private final URI url;
    private final Supplier<? extends CompletionStage<String>> tokens;
    private final Backoff backoff;
    private final ConnectionListener listener;
    private final Consumer<Message> onMessage;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final long heartbeatMillis;
    private final EventLoopGroup group;
    private final InetAddress localAddress;
    private final SerialExecutor callbacks;
    private final RandomGenerator random;
    private final AtomicLong ids = new AtomicLong();
    private final TicketRefresher refresher;

    private final Object lock = new Object();
    // everything below is guarded by lock
    private ConnectionState state = ConnectionState.DISCONNECTED;
    /** connect() was called and the client has not stopped (close(), or a close code that forbids reconnecting). */
    private boolean running;
    private boolean closed;
    /** Bumped for every connection attempt and by close(); callbacks carrying an older value are stale. */
    private long generation;
    private Connection connection;
    private Welcome welcome;
    /** Consecutive attempts that did not reach {@code welcome}: the backoff exponent. */
    private int failures;
    private ScheduledFuture<?> reconnectTimer;
    private CompletableFuture<Welcome> connected = new CompletableFuture<>();
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();

    private SwitchboardClient(Builder b) {
        this.url = Objects.requireNonNull(b.url, "url");
        if (!"ws".equalsIgnoreCase(url.getScheme()) && !"wss".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("url must be ws://host[:port]/path or wss://..., not " + url);
        }
        this.tokens = b.tokens;
        this.refresher = new TicketRefresher(tokens, this::request);
        this.backoff = new Backoff(b.reconnectMin, b.reconnectMax, b.reconnectFactor);
        this.listener = b.listener;
        this.onMessage = b.onMessage;
        this.requestTimeout = b.requestTimeout;
        this.connectTimeout = b.connectTimeout;
        this.heartbeatMillis = b.heartbeatTimeout.toMillis();
        this.group = b.group != null ? b.group : DefaultGroup.GROUP;
        this.localAddress = b.localAddress;
        this.callbacks = new SerialExecutor(b.callbackExecutor != null ? b.callbackExecutor
                : task -> Thread.ofVirtual().name("switchboard-callbacks").start(task));
        this.random = b.random;
    }

    /** Starts configuring a client. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    /**
     * Starts connecting (if not already) and returns a future that completes with the server's {@code welcome}
     * when the client is next connected. It keeps retrying on failures, so bound the wait yourself; the future
     * fails only if the client is closed or the server closes with a code that forbids reconnecting
     * (4003, 4009). After such a close, calling {@code connect()} again starts over.
     */
    public CompletableFuture<Welcome> connect() {
        long attempt;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new SwitchboardException(SwitchboardException.CLOSED,
                        "the client is closed"));
            }
            if (running) {
                return connected.copy();
            }
            running = true;
            failures = 0;
            attempt = beginAttemptLocked();
        }
        startAttempt(attempt);
        synchronized (lock) {
            return connected.copy();
        }
    }

    /** The current state. */
    public ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** The {@code welcome} of the current connection, or {@code null} when not connected. */
    public Welcome welcome() {
        synchronized (lock) {
            return welcome;
        }
    }

    /**
     * Closes the connection (code 1000) and stops reconnecting, for good. Requests and streams still waiting fail
     * with {@link SwitchboardException#CLOSED}. Idempotent.
     */
    @Override
    public void close() {
        Connection conn;
        List<Pending> orphans;
        List<Subscription> ended;
        CompletableFuture<Welcome> waiting;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            running = false;
            generation++;
            refresher.stop();
            cancelReconnectLocked();
            conn = connection;
            connection = null;
            welcome = null;
            if (state != ConnectionState.DISCONNECTED) {
                state = ConnectionState.DISCONNECTED;
                emitLocked(ConnectionEvent.disconnected(CloseCodes.NORMAL, "closed by the client", null));
            }
            orphans = new ArrayList<>(pending.values());
            pending.clear();
            for (Subscription sub : subscriptions.values()) {
                sub.active = false;
            }
            ended = new ArrayList<>(subscriptions.values());
            subscriptions.clear();
            waiting = connected;
        }
        if (conn != null) {
            conn.close(CloseCodes.NORMAL, "client closed");
        }
        SwitchboardException error = new SwitchboardException(SwitchboardException.CLOSED, "the client was closed");
        fail(orphans, error);
        ended.forEach(sub -> sub.ready.completeExceptionally(error)); // no-op for those already answered
        waiting.completeExceptionally(error);
    }

    /** Caller holds the lock. Moves to CONNECTING under a new generation; the caller then calls startAttempt. */
    private long beginAttemptLocked() {
        state = ConnectionState.CONNECTING;
        emitLocked(ConnectionEvent.connecting());
        return ++generation;
    }

    /** Gets a ticket and opens the socket, off the caller's thread: a token supplier may block. */
    private void startAttempt(long attempt) {
        Thread.ofVirtual().name("switchboard-connect").start(() -> open(attempt));
    }

    private void open(long attempt) {
        CompletionStage<String> token;
        try {
            token = tokens == null ? CompletableFuture.completedFuture(null) : tokens.get();
            if (token == null) {
                token = CompletableFuture.failedFuture(new IllegalStateException("the token supplier returned null"));
            }
        } catch (RuntimeException e) {
            token = CompletableFuture.failedFuture(e);
        }
        // on a virtual thread: connect() resolves the host name, which may block
        token.thenAcceptAsync(ticket -> {
            synchronized (lock) {
                if (attempt != generation) {
                    return;
                }
            }
            new Connection(this, attempt, heartbeatMillis)
                    .connect(withToken(url, ticket), group, (int) connectTimeout.toMillis(), localAddress);
        }, task -> Thread.ofVirtual().name("switchboard-connect").start(task)).whenComplete((ignored, error) -> {
            if (error != null) {
                onDisconnected(attempt, ABNORMAL_CLOSURE, describe(error));
            }
        });
    }

    /** Called by a connection when its socket opened; {@code false} tells it to go away (stale attempt). */
    boolean onOpen(Connection conn) {
        synchronized (lock) {
            if (conn.generation != generation || closed) {
                return false;
            }
            connection = conn;
            return true; // CONNECTED only on welcome: before it, requests would be answered "unauthorized"
        }
    }

    /** Called when a connection closed or failed, or an attempt failed before it had one. */
    void onDisconnected(long attempt, int code, String reason) {
        Connection conn;
        List<Pending> orphans = new ArrayList<>();
        CompletableFuture<Welcome> waiting = null;
        boolean reconnect;
        synchronized (lock) {
            if (attempt != generation || state == ConnectionState.DISCONNECTED) {
                return; // stale, or already reported (e.g. onClose after the heartbeat watchdog fired)
            }
            conn = connection;
            connection = null;
            welcome = null;
            refresher.stop();
            state = ConnectionState.DISCONNECTED;
            reconnect = running && !closed && !FINAL_CLOSE_CODES.contains(code);
            for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (p.sentOn != null || !reconnect) { // unsent requests wait for the next connection, if any
                    it.remove();
                    orphans.add(p);
                }
            }
            for (Subscription sub : subscriptions.values()) {
                sub.disconnectedLocked();
            }
            if (reconnect) {
                Duration delay = backoff.delay(failures++, random);
                long next = generation;
                reconnectTimer = Timers.schedule(() -> reconnect(next), delay.toMillis());
                emitLocked(ConnectionEvent.disconnected(code, reason, delay));
                if (connected.isDone()) {
                    connected = new CompletableFuture<>();
                }
            } else {
                running = false;
                emitLocked(ConnectionEvent.disconnected(code, reason, null));
                waiting = connected;
                connected = new CompletableFuture<>();
            }
        }
        if (conn != null) {
            conn.abandon();
        }
        fail(orphans, new SwitchboardException(reconnect ? SwitchboardException.DISCONNECTED
                : SwitchboardException.CLOSED, "connection lost (" + code + " " + reason + ")"));
        if (waiting != null) {
            waiting.completeExceptionally(new SwitchboardException(SwitchboardException.CLOSED,
                    "the server closed the connection with " + code + " " + reason + "; not reconnecting"));
        }
    }

    private void reconnect(long expected) {
        long attempt;
        synchronized (lock) {
            if (!running || closed || generation != expected || state != ConnectionState.DISCONNECTED) {
                return;
            }
            attempt = beginAttemptLocked();
        }
        startAttempt(attempt);
    }

    private void cancelReconnectLocked() {
        if (reconnectTimer != null) {
            reconnectTimer.cancel(false);
            reconnectTimer = null;
        }
    }

    // ------------------------------------------------------------------------------------------ inbound frames

    /** One complete text frame from the server, on the connection's reader thread. */
    void onFrame(Connection conn, String text) {
        JsonNode frame;
        try {
            frame = Json.parse(text);
        } catch (ProtocolException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring a frame that is not JSON: {0}", e.getMessage());
            return;
        }
        String type = Wire.text(frame, "type");
        String re = Wire.text(frame, "re");
        if (re != null && type != null && !MessageTypes.PONG.equals(type)) {
            onCorrelated(conn, type, re, frame);
            return;
        }
        switch (type == null ? "" : type) {
            case MessageTypes.WELCOME -> {
                onWelcome(conn, Wire.welcome(frame));
                refresher.connected(frame.path("expiresAt").asLong(0));
            }
            case MessageTypes.MESSAGE -> onPush(conn, Wire.message(frame, null));
            case MessageTypes.PRESENCE -> onPresence(conn, Wire.presenceEvent(frame));
            case MessageTypes.ERROR -> LOG.log(System.Logger.Level.WARNING, "server error: {0}", frame.path("error"));
            case MessageTypes.PONG -> { }
            case MessageTypes.REFRESH -> refresher.refreshNow(); // the credential expired: renew within the grace
            default -> LOG.log(System.Logger.Level.DEBUG, "ignoring frame of type {0}", type);
        }
    }

    private void onWelcome(Connection conn, Welcome w) {
        List<String> frames = new ArrayList<>();
        CompletableFuture<Welcome> waiting;
        synchronized (lock) {
            if (conn.generation != generation || state != ConnectionState.CONNECTING) {
                return; // stale, or a second welcome (after a later auth) that changes nothing here
            }
            state = ConnectionState.CONNECTED;
            welcome = w;
            failures = 0;
            emitLocked(ConnectionEvent.connected(w));
            for (Subscription sub : subscriptions.values()) {
                frames.add(subscribeFrameLocked(sub, conn));
            }
            for (Pending p : pending.values()) {
                if (p.sentOn == null) {
                    p.sentOn = conn;
                    frames.add(p.frame);
                }
            }
            waiting = connected;
        }
        for (String frame : frames) {
            conn.send(frame);
        }
        waiting.complete(w);
    }

    private void onCorrelated(Connection conn, String type, String re, JsonNode frame) {
        boolean terminal = !MessageTypes.CHUNK.equals(type);
        Pending p;
        synchronized (lock) {
            p = pending.get(re);
            if (p == null || p.sentOn != conn) {
                return; // timed out, cancelled locally, or an answer to another connection's request
            }
            if (terminal) {
                pending.remove(re);
            }
        }
        if (terminal) {
            p.cancelTimeout();
        }
        switch (type) {
            case MessageTypes.REPLY -> p.sink.onReply(frame.path("data"));
            case MessageTypes.ERROR -> p.sink.onError(Wire.error(frame));
            case MessageTypes.CHUNK -> p.sink.onChunk(frame.path("data"));
            case MessageTypes.END -> p.sink.onEnd(Wire.text(frame, "reason"));
            default -> p.sink.onError(new SwitchboardException("bad_reply", "unexpected frame type " + type));
        }
    }

    private void onPush(Connection conn, Message message) {
        synchronized (lock) {
            if (conn.generation != generation) {
                return;
            }
            if (message.channel() == null) {
                callbacks.execute(() -> onMessage.accept(message));
                return;
            }
            Subscription sub = subscriptions.get(message.channel());
            if (sub != null && sub.offerLocked(message)) {
                callbacks.execute(() -> sub.listener.onMessage(message));
            }
        }
    }

    private void onPresence(Connection conn, PresenceEvent event) {
        synchronized (lock) {
            Subscription sub = subscriptions.get(event.channel());
            if (conn.generation == generation && sub != null) {
                callbacks.execute(() -> sub.listener.onPresence(event));
            }
        }
    }

    // ------------------------------------------------------------------------------------------ subscriptions

    /**
     * Subscribes to a channel for the life of the client (across reconnects) until {@link Subscription#unsubscribe()}.
     * Works while disconnected: the subscription is sent once connected. A lambda is a message handler:
     * {@code client.subscribe("chat:lobby", m -> show(m))}; implement more of {@link SubscriptionListener} for
     * presence, recovery failures and errors.
     *
     * @throws IllegalStateException when this client already has a subscription to the channel, or is closed
     */
    public Subscription subscribe(String channel, SubscriptionListener listener) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(listener, "listener");
        Subscription sub = new Subscription(this, channel, listener);
        Connection conn = null;
        String frame = null;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the client is closed");
            }
            if (subscriptions.containsKey(channel)) {
                throw new IllegalStateException("already subscribed to " + channel + "; unsubscribe first");
            }
            subscriptions.put(channel, sub);
            if (state == ConnectionState.CONNECTED) {
                conn = connection;
                frame = subscribeFrameLocked(sub, conn);
            }
        }
        if (frame != null) {
            conn.send(frame);
        }
        return sub;
    }

    /** Caller holds the lock. Registers a subscribe request on {@code conn} and returns its frame. */
    private String subscribeFrameLocked(Subscription sub, Connection conn) {
        StreamPosition since = sub.tracker.position();
        ObjectNode data = Json.object();
        data.put("channel", sub.channel());
        if (since != null) {
            ObjectNode s = data.putObject("since");
            s.put("offset", since.offset());
            s.put("epoch", since.epoch());
        }
        String id = nextId();
        Pending p = new Pending(id, Wire.envelope(id, MessageTypes.SUBSCRIBE, data), new Pending.Sink() {
            @Override
            public void onReply(JsonNode reply) {
                onSubscribed(sub, since, reply);
            }

            @Override
            public void onError(SwitchboardException error) {
                onSubscribeFailed(sub, error);
            }
        });
        p.sentOn = conn;
        pending.put(id, p);
        sub.subscribingLocked();
        return p.frame;
    }

    private void onSubscribed(Subscription sub, StreamPosition since, JsonNode reply) {
        Subscription.Outcome outcome;
        synchronized (lock) {
            if (!sub.active) {
                return;
            }
            outcome = sub.onReplyLocked(since, reply);
            callbacks.execute(() -> sub.tell(outcome)); // under the lock: keeps callback order with live pushes
        }
        sub.ready.complete(outcome.result());
    }

    private void onSubscribeFailed(Subscription sub, SwitchboardException error) {
        if (SwitchboardException.DISCONNECTED.equals(error.code())) {
            return; // it will be sent again on the next connection
        }
        synchronized (lock) {
            sub.buffered = null;
            if (sub.active && !SwitchboardException.CLOSED.equals(error.code())) {
                sub.active = false;
                subscriptions.remove(sub.channel(), sub);
                callbacks.execute(() -> sub.listener.onError(error));
            }
        }
        sub.ready.completeExceptionally(error);
    }

    CompletableFuture<Void> unsubscribe(Subscription sub) {
        boolean tell;
        synchronized (lock) {
            if (!sub.active) {
                return CompletableFuture.completedFuture(null);
            }
            sub.active = false;
            sub.buffered = null;
            subscriptions.remove(sub.channel(), sub);
            tell = state == ConnectionState.CONNECTED;
        }
        sub.ready.completeExceptionally(new SwitchboardException("unsubscribed",
                "unsubscribed before the server answered")); // no-op when it had answered
        if (!tell) {
            return CompletableFuture.completedFuture(null);
        }
        return request(MessageTypes.UNSUBSCRIBE, Map.of("channel", sub.channel())).thenApply(reply -> null);
    }

    StreamPosition positionOf(Subscription sub) {
        synchronized (lock) {
            return sub.tracker.position();
        }
    }

    boolean isActive(Subscription sub) {
        synchronized (lock) {
            return sub.active;
        }
    }

    // ------------------------------------------------------------------------------------------ requests

    /**
     * Sends {@code {"id","type","data"}} and completes with the {@code reply}'s data, or fails with a
     * {@link SwitchboardException}: the server's error code, {@code timeout}, {@code disconnected} or {@code closed}.
     *
     * @param data any value Jackson can turn into JSON (a {@link JsonNode}, a record, a map), or {@code null}
     */
    public CompletableFuture<JsonNode> request(String type, Object data, Duration timeout) {
        Objects.requireNonNull(type, "type");
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        String id = nextId();
        submit(new Pending(id, Wire.envelope(id, type, data), new Pending.Sink() {
            @Override
            public void onReply(JsonNode data) {
                reply.complete(data);
            }

            @Override
            public void onEnd(String reason) {
                // a streaming handler answered a plain request: there is no single reply to give
                reply.completeExceptionally(new SwitchboardException("bad_reply",
                        "the server streamed the answer; use stream() for " + type));
            }

            @Override
            public void onError(SwitchboardException error) {
                reply.completeExceptionally(error);
            }
        }), timeout);
        return reply;
    }

    /** {@link #request(String, Object, Duration)} with the client's default timeout. */
    public CompletableFuture<JsonNode> request(String type, Object data) {
        return request(type, data, requestTimeout);
    }

    /** Starts a streamed request whose chunks are read by iterating the returned {@link ReplyStream}. */
    public ReplyStream stream(String type, Object data) {
        return openStream(type, data, null);
    }

    /** Starts a streamed request whose chunks go to {@code onChunk}, in order, on the callback thread. */
    public ReplyStream stream(String type, Object data, Consumer<JsonNode> onChunk) {
        return openStream(type, data, Objects.requireNonNull(onChunk, "onChunk"));
    }

    private ReplyStream openStream(String type, Object data, Consumer<JsonNode> onChunk) {
        Objects.requireNonNull(type, "type");
        String id = nextId();
        ReplyStream stream = new ReplyStream(this, id, onChunk);
        submit(new Pending(id, Wire.envelope(id, type, data), stream.sink(callbacks)), null);
        return stream;
    }

    /** Publishes to a channel; completes with the publication's position. */
    public CompletableFuture<StreamPosition> publish(String channel, Object data) {
        return request(MessageTypes.PUBLISH, channelAnd(channel, "data", data)).thenApply(Wire::position);
    }

    /** Sends to every connection of {@code user} (on every endpoint and node). */
    public CompletableFuture<Void> send(String user, Object data) {
        ObjectNode body = Json.object();
        body.put("user", Objects.requireNonNull(user, "user"));
        body.set("data", Json.toTree(data));
        return request(MessageTypes.SEND, body).thenApply(reply -> null);
    }

    /** Who is in a channel now. */
    public CompletableFuture<List<PresenceUser>> presence(String channel) {
        return request(MessageTypes.PRESENCE, channelAnd(channel, null, null)).thenApply(Wire::presenceUsers);
    }

    /**
     * A page of a channel's history.
     *
     * @param since   only publications after this position's offset, or {@code null} for the oldest retained.
     *                If the page's {@link HistoryPage#top()} has another epoch, the offsets are not comparable.
     * @param limit   at most this many ({@code 0}: the server's default)
     * @param reverse newest first
     */
    public CompletableFuture<HistoryPage> history(String channel, StreamPosition since, int limit, boolean reverse) {
        ObjectNode body = channelAnd(channel, null, null);
        if (since != null) {
            body.put("since", since.offset()); // the gateway's history takes the offset alone; compare epochs on the page
        }
        if (limit > 0) {
            body.put("limit", limit);
        }
        if (reverse) {
            body.put("reverse", true);
        }
        return request(MessageTypes.HISTORY, body).thenApply(data -> Wire.historyPage(data, channel));
    }

    private static ObjectNode channelAnd(String channel, String field, Object value) {
        ObjectNode body = Json.object();
        body.put("channel", Objects.requireNonNull(channel, "channel"));
        if (field != null) {
            body.set(field, Json.toTree(value));
        }
        return body;
    }

    private void submit(Pending p, Duration timeout) {
        Connection conn;
        synchronized (lock) {
            if (closed) {
                conn = null;
            } else {
                pending.put(p.id, p);
                conn = state == ConnectionState.CONNECTED ? connection : null;
                p.sentOn = conn;
            }
        }
        if (conn == null && isClosed()) {
            p.sink.onError(new SwitchboardException(SwitchboardException.CLOSED, "the client is closed"));
            return;
        }
        if (timeout != null && !timeout.isZero() && !timeout.isNegative()) {
            p.timeout = Timers.schedule(() -> timeOut(p, timeout), timeout.toMillis());
        }
        if (conn != null) {
            conn.send(p.frame);
        }
    }

    private void timeOut(Pending p, Duration timeout) {
        synchronized (lock) {
            if (!pending.remove(p.id, p)) {
                return;
            }
        }
        p.sink.onError(new SwitchboardException(SwitchboardException.TIMEOUT,
                "no answer within " + timeout.toMillis() + " ms"));
    }

    /** Cancels a stream: a local end if it was never sent, else a {@code cancel} frame the server answers. */
    void cancel(String id) {
        Pending p;
        Connection conn = null;
        synchronized (lock) {
            p = pending.get(id);
            if (p == null) {
                return;
            }
            if (p.sentOn == null) {
                pending.remove(id);
            } else {
                conn = p.sentOn;
            }
        }
        if (conn == null) {
            p.sink.onEnd("cancelled");
        } else {
            conn.send(Wire.envelope(null, MessageTypes.CANCEL, Map.of("re", id)));
        }
    }

    private String nextId() {
        return "j" + ids.incrementAndGet();
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Caller holds the lock, which keeps events in order; the listener runs later on the callback thread. */
    private void emitLocked(ConnectionEvent event) {
        callbacks.execute(() -> listener.onStateChange(event));
    }

    private static void fail(List<Pending> requests, SwitchboardException error) {
        for (Pending p : requests) {
            p.cancelTimeout();
            p.sink.onError(error);
        }
    }

    static URI withToken(URI url, String token) {
        if (token == null) {
            return url;
        }
        String param = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        String s = url.toString();
        int hash = s.indexOf('#');
        String fragment = hash < 0 ? "" : s.substring(hash);
        String base = hash < 0 ? s : s.substring(0, hash);
        return URI.create(base + (url.getRawQuery() == null ? "?" : "&") + param + fragment);
    }

    static String describe(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof WebSocketClientHandshakeException handshake && handshake.response() != null) {
            return "handshake refused with HTTP " + handshake.response().status().code();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The event loops used when none are given: shared by every client in the JVM, daemon threads. */
    private static final class DefaultGroup {
        static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(
                Math.min(2, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("switchboard-client", true), NioIoHandler.newFactory());
    }

    /** Configures a {@link SwitchboardClient}; only {@link #url} is required. */
    public static final class Builder {
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

        private Builder() {
        }

        /** The endpoint, e.g. {@code ws://localhost:8080/ws}. */
        public Builder url(String url) {
            return url(URI.create(url));
        }

        /** The endpoint, e.g. {@code ws://localhost:8080/ws}. */
        public Builder url(URI url) {
            this.url = url;
            return this;
        }

        /** A fixed ticket. Tickets expire (60 s by default), so prefer {@link #tokenSupplier} for long-lived clients. */
        public Builder token(String token) {
            Objects.requireNonNull(token, "token");
            return tokenSupplier(() -> CompletableFuture.completedFuture(token));
        }

        /** Called before every connection attempt for a fresh ticket; a failure counts as a failed attempt. */
        public Builder tokenSupplier(Supplier<? extends CompletionStage<String>> tokens) {
            this.tokens = tokens;
            return this;
        }

        /**
         * Reconnect delays: retry {@code n} waits a random time in {@code [0, min(max, min * factor^n)]}
         * (full jitter). Defaults: 500 ms, 20 s, 2.
         */
        public Builder reconnect(Duration min, Duration max, double factor) {
            new Backoff(min, max, factor); // validate now, not at the first disconnect
            this.reconnectMin = min;
            this.reconnectMax = max;
            this.reconnectFactor = factor;
            return this;
        }

        /** Connection state changes. */
        public Builder listener(ConnectionListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Messages that are not channel publications: direct messages to this user and broadcasts. */
        public Builder onMessage(Consumer<Message> onMessage) {
            this.onMessage = Objects.requireNonNull(onMessage, "onMessage");
            return this;
        }

        /** Default timeout of {@link #request(String, Object)} and the typed helpers. Default 10 s. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Timeout of the TCP connect and WebSocket handshake. Default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Reconnect when nothing (not even a ping) arrived for this long. The server pings every 25 s by
         * default, so the default of 75 s tolerates two lost pings. {@link Duration#ZERO} disables the check.
         */
        public Builder heartbeatTimeout(Duration timeout) {
            this.heartbeatTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The Netty event loops to run the socket on. Default: two daemon threads shared by all clients in the
         * JVM, which is plenty for thousands of connections; a load generator may pass its own.
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = group;
            return this;
        }

        /** The local address to connect from (e.g. 127.0.0.2 to get past one source address's port range). */
        public Builder localAddress(InetAddress localAddress) {
            this.localAddress = localAddress;
            return this;
        }

        /**
         * Where callbacks run (one at a time, in order, whatever the executor). It must not run tasks on the
         * calling thread. Default: a new virtual thread per burst of callbacks.
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = executor;
            return this;
        }

        /** The random source of the jitter (tests make it deterministic). */
        Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        /** Builds the client; it does not connect until {@link SwitchboardClient#connect()}. */
        public SwitchboardClient build() {
            return new SwitchboardClient(this);
        }
    }
}
