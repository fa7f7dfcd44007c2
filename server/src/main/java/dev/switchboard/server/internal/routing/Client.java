package dev.switchboard.server.internal.routing;


import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.switchboard.protocol.SerialExecutor;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.Envelope;
import dev.switchboard.protocol.EnvelopeCodec;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.MessageTypes;
import dev.switchboard.protocol.ProtocolException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.internal.auth.Ticket;
import dev.switchboard.server.app.GatewayEvents;
import dev.switchboard.server.app.LifecycleHooks;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import dev.switchboard.server.internal.delivery.Connection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-connection state machine between transport and handlers: authentication, rate limiting, envelope
 * decoding, routing by type, ordered execution, and the requests still open (so {@code cancel} and a
 * disconnect can reach them). Inbound methods run on the connection's event loop.
 */
public final class Client implements SocketSession {

    private static final Logger log = LoggerFactory.getLogger(Client.class);

    private static final CompletableFuture<Void> NO_ADMISSION_YET = CompletableFuture.completedFuture(null);

    private final Connection connection;
    private final EndpointRoutes endpoint;
    private final NodeServices node;
    private final ClientSettings settings;
    // Allocated on first message: most connections of a big node are idle and never need them.
    private SerialExecutor executor;
    private RateLimiter limiter;
    private volatile Map<String, RequestContext> open;
    private int refusedInARow;
    /** The last admission started (ticket check and connect hook), so the next waits for it. */
    private CompletableFuture<?> admissions = NO_ADMISSION_YET;

    public Client(Connection connection, EndpointRoutes endpoint, NodeServices node, ClientSettings settings) {
        this.connection = connection;
        this.endpoint = endpoint;
        this.node = node;
        this.settings = settings;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    /** The node's registry, channel membership and operations. */
    public NodeServices node() {
        return node;
    }

    public EndpointRoutes endpoint() {
        return endpoint;
    }

    /** The backend's decisions, for the built-ins that ask them (subscribe, publish). */
    public LifecycleHooks hooks() {
        return settings.hooks();
    }

    /**
     * Called once the upgrade completed. A ticket from {@code ?token=} is verified now, and the connect hook
     * (when one decides) is asked; an anonymous endpoint welcomes at once when neither identified the
     * connection; otherwise the client has the auth deadline to send {@code auth}.
     *
     * @param headers the upgrade headers the connect hook may see
     */
    @Override
    public void start(String queryToken, Map<String, String> headers) {
        node.registry().register(connection);
        if (!settings.hooks().decidesConnect()) { // the common case, kept synchronous: no hook to wait for
            if (queryToken != null) {
                try {
                    Ticket t = settings.verifier().verify(queryToken);
                    welcome(new Admission(t.user(), t.permissions(), t.claims(), t.expiresAt(), null));
                } catch (ProtocolException e) {
                    refuseAtUpgrade(e);
                }
            } else if (endpoint.allowsAnonymous()) {
                welcome(new Admission(null, settings.anonymousPermissions(), Map.of(), 0, null));
            }
            return;
        }
        admitInTurn(queryToken, null, headers, (admission, failure) -> {
            if (failure != null) {
                refuseAtUpgrade(failure);
            } else if (admission != null) {
                welcome(admission);
            } else if (endpoint.allowsAnonymous()) {
                welcome(new Admission(null, settings.anonymousPermissions(), Map.of(), 0, null));
            }
            return null;
        });
    }

    /**
     * Runs {@code action} on the connection's event loop once the admission {@link #start} began is decided
     * (welcomed or refused); at once, in turn, when it was decided synchronously.
     */
    public void afterAdmission(Runnable action) {
        CompletableFuture<?> pending;
        synchronized (this) {
            pending = admissions;
        }
        pending.whenComplete((x, y) -> connection.channel().eventLoop().execute(action));
    }

    private void refuseAtUpgrade(Throwable failure) {
        if (RequestContext.unwrap(failure) instanceof Admitter.HookDisconnect d) {
            connection.close(d.code, d.getMessage());
            return;
        }
        ProtocolException e = Admitter.refusal(failure);
        sendError(null, e.code(), e.getMessage());
        connection.close(CloseCodes.AUTH_FAILED, e.code());
    }

    /**
     * Lets the connection in on an {@code auth} message: verifies {@code token} (may be null when a connect
     * hook decides), asks the hook, and welcomes. Completes with the auth reply; fails with
     * {@link ProtocolException} when refused (the connection stays and may try again within the auth deadline).
     */
    public CompletableFuture<Map<String, Object>> authenticate(String token, JsonNode data) {
        if (connection.user() != null) {
            throw new ProtocolException(ErrorCode.ALREADY_AUTHENTICATED, "connection is already authenticated as " + connection.user());
        }
        if (token == null && !settings.hooks().decidesConnect()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "data.token must be a non-empty string");
        }
        return admitInTurn(token, data, Map.of(), (admission, failure) -> {
            if (failure != null) {
                if (RequestContext.unwrap(failure) instanceof Admitter.HookDisconnect d) {
                    connection.close(d.code, d.getMessage());
                }
                throw Admitter.refusal(failure);
            }
            if (admission == null || admission.user() == null) {
                throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the connect hook did not accept this connection");
            }
            welcome(admission);
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("connection", connection.id());
            reply.put("session", connection.sessionId());
            reply.put("user", admission.user());
            reply.put("expiresAt", admission.expiresAt() == 0 ? null : admission.expiresAt());
            return reply;
        });
    }

    /**
     * Renews the connection's credential with a new ticket for the same user ({@code refresh}, sent by SDKs
     * before or when asked at expiry). Permissions follow the new ticket unless a connect hook decided them.
     */
    public Map<String, Object> refresh(String token) {
        if (!connection.isIdentified() || connection.user() == null) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "only an authenticated connection can refresh");
        }
        Ticket ticket = settings.verifier().verify(token);
        if (!ticket.user().equals(connection.user())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "the new ticket is for another user");
        }
        connection.renew(ticket.expiresAt(), settings.hooks().decidesConnect() ? null : ticket.permissions());
        return Map.of("expiresAt", ticket.expiresAt());
    }

    /**
     * Admissions run one after another: an {@code auth} sent while the upgrade's hook call is still out waits
     * for it, and is refused as already authenticated if that one let the connection in. {@code then} runs
     * in turn too, so the welcome of one is sent before the next starts.
     */
    private synchronized <T> CompletableFuture<T> admitInTurn(String token, JsonNode data, Map<String, String> headers,
                                                             java.util.function.BiFunction<Admission, Throwable, T> then) {
        CompletableFuture<T> next = admissions.handle((x, y) -> null).thenCompose(v -> {
            if (connection.isIdentified() && connection.user() != null) {
                return CompletableFuture.<Admission>failedFuture(new ProtocolException(ErrorCode.ALREADY_AUTHENTICATED,
                        "connection is already authenticated as " + connection.user()));
            }
            try {
                return Admitter.admit(settings, connection, token, data, headers);
            } catch (RuntimeException e) {
                return CompletableFuture.<Admission>failedFuture(e);
            }
        }).handle(then);
        admissions = next;
        return next;
    }

    private void welcome(Admission admission) {
        if (!connection.isOpen() || !node.registry().welcome(connection, admission.user(), admission.permissions(),
                admission.claims(), admission.expiresAt())) {
            return;
        }
        ObjectNode frame = Frames.welcome(connection.id(), connection.sessionId(), connection.user(),
                connection.endpoint(), settings.nodeId(), node.operations().clock().millis());
        if (admission.expiresAt() > 0) {
            frame.put("expiresAt", admission.expiresAt());
        }
        if (admission.data() != null) {
            frame.set("data", admission.data());
        }
        send(frame);
        if (settings.events() != GatewayEvents.NONE) {
            settings.events().connected(info());
        }
    }

    /** The connection as events describe it. */
    GatewayEvents.ConnectionInfo info() {
        return new GatewayEvents.ConnectionInfo(connection.id(), connection.user(), connection.endpoint(),
                connection.remoteAddress(), connection.connectedAt());
    }

    /** One inbound text frame. */
    @Override
    public void onText(byte[] utf8) {
        settings.metrics().received();
        if (!admit(utf8)) {
            return;
        }
        Envelope msg;
        try {
            msg = EnvelopeCodec.decode(utf8);
        } catch (EnvelopeCodec.EnvelopeException e) {
            sendError(e.id(), e.code(), e.getMessage());
            return;
        } catch (ProtocolException e) {
            sendError(null, e.code(), e.getMessage());
            return;
        }
        if (MessageTypes.CANCEL.equals(msg.type())) {
            cancel(msg); // out of band: must overtake the (possibly long) handler it cancels
            return;
        }
        HandlerRegistry.Registration reg = endpoint.handlers().find(msg.type());
        if (reg == null) {
            sendError(msg.id(), ErrorCode.UNKNOWN_TYPE.code(), "no handler for type " + msg.type() + " on " + endpoint.path());
            return;
        }
        if (reg.options().requiresIdentity() && !connection.isIdentified()) {
            sendError(msg.id(), ErrorCode.UNAUTHORIZED.code(), "authenticate first (send auth with a ticket)");
            return;
        }
        RequestContext ctx = new RequestContext(this, msg.id(), msg.type());
        if (msg.id() != null && openRequests().putIfAbsent(msg.id(), ctx) != null) {
            sendError(msg.id(), ErrorCode.BAD_REQUEST.code(), "a request with id " + msg.id() + " is still open");
            return;
        }
        if (msg.id() != null) {
            ctx.output(endpoint.replies().open(this, msg, ctx, endpoint.resumableByDefault()));
        }
        SerialExecutor ex = executor();
        if (reg.async() != null) {
            ex.executeHeld(() -> HandlerTurn.start(reg, ctx, msg, settings, connection.id()));
            return;
        }
        Runnable task = () -> HandlerTurn.run(reg, ctx, msg, settings, connection.id());
        if (reg.options().nonBlocking() && ex.isIdle()) {
            task.run(); // nothing queued ahead of it, so order is kept and a thread hand-off saved
        } else {
            ex.execute(task);
        }
    }

    /** The node's shared settings (limits the built-ins enforce). */
    public ClientSettings settings() {
        return settings;
    }

    /** A control frame (ping) counts against the same rate limit as messages; false: do not answer it. */
    @Override
    public boolean admitControl() {
        return admit(null);
    }

    /** Rate limit and queue bound; a connection that keeps flooding after being told is closed. */
    private boolean admit(byte[] utf8) {
        long now = System.nanoTime();
        if (limiter == null) {
            limiter = new RateLimiter(settings.messagesPerSecond(), settings.burst(), now);
        }
        boolean ok = limiter.tryAcquire(now) && (executor == null || executor.pending() < settings.maxQueued());
        if (ok) {
            refusedInARow = 0;
            return true;
        }
        settings.metrics().rateLimited();
        if (++refusedInARow > settings.burst()) {
            connection.close(CloseCodes.RATE_LIMIT_EXCEEDED, "rate limit exceeded");
        } else if (utf8 != null) {
            // The refusal answers the request it refuses: a client waiting on that id must not hang.
            sendError(EnvelopeCodec.peekId(utf8), ErrorCode.RATE_LIMITED.code(), "too many messages; slow down");
        }
        return false;
    }

    private void cancel(Envelope msg) {
        String re = msg.data().path("re").asText(null);
        RequestContext ctx = re == null || open == null ? null : open.get(re);
        if (ctx == null) {
            if (msg.id() != null) {
                sendError(msg.id(), ErrorCode.NOT_FOUND.code(), "no open request " + re);
            }
            return;
        }
        ctx.cancel(true);
    }

    /** Called by the transport when the socket closed: cancels open requests and leaves every registry. */
    @Override
    public void onClosed() {
        Map<String, RequestContext> requests = open;
        if (requests != null) {
            for (RequestContext ctx : requests.values()) {
                if (ctx.outlivesConnection()) {
                    ctx.detach(); // a resumable reply goes on producing into its stream
                } else {
                    ctx.cancel(false);
                }
            }
        }
        if (!node.registry().unregister(connection)) {
            return;
        }
        node.channels().leaveAll(connection);
        if (connection.isWelcomed() && settings.events() != GatewayEvents.NONE) {
            settings.events().disconnected(info(), connection.closeCode(), connection.closeReason());
        }
    }

    void requestFinished(RequestContext ctx) {
        if (ctx.id() != null && open != null) {
            open.remove(ctx.id(), ctx);
        }
    }

    /** Number of requests still open (for tests and metrics). */
    public int openRequestCount() {
        Map<String, RequestContext> requests = open;
        return requests == null ? 0 : requests.size();
    }

    /** Sends an error frame (counted by code). */
    void sendError(String re, String code, String message) {
        settings.metrics().error(code);
        send(Frames.error(re, code, message));
    }

    /** A frame: a tree, or a value {@link Json#bytes} writes field by field. */
    void send(Object frame) {
        connection.send(Json.bytes(frame));
    }

    private Map<String, RequestContext> openRequests() {
        Map<String, RequestContext> requests = open;
        if (requests == null) {
            requests = new ConcurrentHashMap<>(4);
            open = requests;
        }
        return requests;
    }

    private SerialExecutor executor() {
        if (executor == null) {
            executor = new SerialExecutor(task -> Thread.ofVirtual().name("handler").start(task),
                    t -> log.error("handler task failed", t));
        }
        return executor;
    }
}
