package dev.switchboard.client;

import dev.switchboard.protocol.CloseCodes;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;

/**
 * The connection state machine: DISCONNECTED → CONNECTING → CONNECTED (on {@code welcome}) and back, a fresh
 * ticket for every attempt, reconnects with exponential backoff and full jitter, and what a welcome, a drop
 * or a close means for the requests and subscriptions. Its {@link #lock} guards the state of the whole
 * client (requests and subscriptions included), which keeps events in order.
 */
final class Lifecycle {

    /** Close code reported when the socket failed without a close frame (RFC 6455's "abnormal closure"). */
    static final int ABNORMAL_CLOSURE = 1006;
    /**
     * After these the server does not want us back as we are: 4003 (ticket rejected), 4009 (kicked by a backend).
     * Every other code, 1000 included, is followed by a reconnect: a server that means "go away" says 4009.
     */
    private static final Set<Integer> FINAL_CLOSE_CODES = Set.of(CloseCodes.AUTH_FAILED, CloseCodes.KICKED);

    final Object lock = new Object();
    private final ClientSettings settings;
    private final TicketRefresher refresher;
    private Requests requests;
    private Subscriptions subscriptions;
    private Inbound inbound;

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

    Lifecycle(ClientSettings settings, TicketRefresher refresher) {
        this.settings = settings;
        this.refresher = refresher;
    }

    void wire(Requests requests, Subscriptions subscriptions, Inbound inbound) {
        this.requests = requests;
        this.subscriptions = subscriptions;
        this.inbound = inbound;
    }

    Duration requestTimeout() {
        return settings.requestTimeout();
    }

    CompletableFuture<Welcome> connect() {
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

    ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    Welcome welcome() {
        synchronized (lock) {
            return welcome;
        }
    }

    boolean isClosedLocked() {
        return closed;
    }

    /** Caller holds the lock. The connection if the client is connected (welcomed), else null. */
    Connection connectedLocked() {
        return state == ConnectionState.CONNECTED ? connection : null;
    }

    /** Caller holds the lock. Whether {@code conn} belongs to the current attempt (frames of older ones are stale). */
    boolean isCurrentLocked(Connection conn) {
        return conn.generation == generation;
    }

    void close() {
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
            orphans = requests.detachLocked(false);
            ended = subscriptions.endAllLocked();
            waiting = connected;
        }
        if (conn != null) {
            conn.close(CloseCodes.NORMAL, "client closed");
        }
        SwitchboardException error = new SwitchboardException(SwitchboardException.CLOSED, "the client was closed");
        Requests.fail(orphans, error);
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
            token = settings.tokens() == null ? CompletableFuture.completedFuture(null) : settings.tokens().get();
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
            new Connection(this, inbound, attempt, settings.heartbeatMillis(), settings.frames()).connect(withToken(settings.url(), ticket),
                    settings.group(), (int) settings.connectTimeout().toMillis(), settings.localAddress(), settings.tls());
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

    /** The server welcomed {@code conn}: subscriptions and waiting requests go out on it, in that order. */
    void onWelcome(Connection conn, Welcome w) {
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
            subscriptions.resubscribeLocked(conn, frames);
            requests.sendWaitingLocked(conn, frames);
            waiting = connected;
        }
        for (String frame : frames) {
            conn.send(frame);
        }
        waiting.complete(w);
    }

    /** Called when a connection closed or failed, or an attempt failed before it had one. */
    void onDisconnected(long attempt, int code, String reason) {
        Connection conn;
        List<Pending> orphans;
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
            orphans = requests.detachLocked(reconnect); // unsent requests wait for the next connection, if any
            subscriptions.disconnectedLocked();
            if (reconnect) {
                // A restarting node (1012) spread its closes out: come back at once, within a second, and the
                // outage does not count towards the backoff.
                Duration delay = code == CloseCodes.RESTARTING ? Backoff.afterRestart(settings.random())
                        : settings.backoff().delay(failures++, settings.random());
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
        Requests.fail(orphans, new SwitchboardException(reconnect ? SwitchboardException.DISCONNECTED
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

    /** Caller holds the lock, which keeps events in order; the listener runs later on the callback thread. */
    private void emitLocked(ConnectionEvent event) {
        settings.callbacks().execute(() -> settings.listener().onStateChange(event));
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
}
