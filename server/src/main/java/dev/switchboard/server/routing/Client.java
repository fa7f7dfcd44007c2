package dev.switchboard.server.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.Envelope;
import dev.switchboard.protocol.EnvelopeCodec;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.MessageTypes;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.auth.Ticket;
import dev.switchboard.server.delivery.Connection;
import dev.switchboard.server.delivery.Hub;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-connection state machine between transport and handlers: authentication, rate limiting, envelope
 * decoding, routing by type, ordered execution, and the requests still open (so {@code cancel} and a
 * disconnect can reach them). Inbound methods run on the connection's event loop.
 */
public final class Client {

    private final Connection connection;
    private final Endpoint endpoint;
    private final Hub hub;
    private final ClientSettings settings;
    // Allocated on first message: most connections of a big node are idle and never need them.
    private SerialExecutor executor;
    private RateLimiter limiter;
    private volatile Map<String, RequestContext> open;
    private int refusedInARow;

    public Client(Connection connection, Endpoint endpoint, Hub hub, ClientSettings settings) {
        this.connection = connection;
        this.endpoint = endpoint;
        this.hub = hub;
        this.settings = settings;
    }

    public Connection connection() {
        return connection;
    }

    public Hub hub() {
        return hub;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Called once the upgrade completed. A ticket from {@code ?token=} is verified now; an anonymous endpoint
     * welcomes at once; otherwise the client has the auth deadline to send {@code auth}.
     */
    public void start(String queryToken) {
        hub.register(connection);
        if (queryToken != null) {
            try {
                authenticate(queryToken);
            } catch (ProtocolException e) {
                sendError(null, e.code(), e.getMessage());
                connection.close(CloseCodes.AUTH_FAILED, e.code());
            }
        } else if (endpoint.allowsAnonymous()) {
            hub.identify(connection, null, settings.anonymousPermissions(), Map.of());
            sendWelcome();
        }
    }

    /**
     * Verifies {@code token} and gives the connection its user. Throws {@link ProtocolException} when the
     * ticket is rejected or the connection already has a user.
     */
    public Ticket authenticate(String token) {
        if (connection.user() != null) {
            throw new ProtocolException(ErrorCode.ALREADY_AUTHENTICATED, "connection is already authenticated as " + connection.user());
        }
        Ticket ticket = settings.verifier().verify(token);
        hub.identify(connection, ticket.user(), ticket.permissions(), ticket.claims());
        sendWelcome();
        return ticket;
    }

    private void sendWelcome() {
        send(Frames.welcome(connection.id(), connection.sessionId(), connection.user(), connection.endpoint(),
                settings.nodeId(), hub.clock().millis()));
    }

    /** One inbound text frame. */
    public void onText(byte[] utf8) {
        settings.metrics().received();
        if (!admit()) {
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
        Runnable task = () -> run(reg, ctx, msg, settings.metrics());
        SerialExecutor ex = executor();
        if (reg.options().nonBlocking() && ex.isIdle()) {
            task.run(); // nothing queued ahead of it, so order is kept and a thread hand-off saved
        } else {
            ex.execute(task);
        }
    }

    /** Rate limit and queue bound; a connection that keeps flooding after being told is closed. */
    private boolean admit() {
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
        } else {
            sendError(null, ErrorCode.RATE_LIMITED.code(), "too many messages; slow down");
        }
        return false;
    }

    private static void run(HandlerRegistry.Registration reg, RequestContext ctx, Envelope msg, ClientMetrics metrics) {
        if (ctx.isCancelled()) {
            return;
        }
        long start = System.nanoTime();
        try {
            reg.handler().handle(ctx, msg);
            ctx.handlerReturned();
        } catch (Throwable t) {
            ctx.fail(t);
        } finally {
            metrics.handler(reg.type()).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
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
    public void onClosed() {
        Map<String, RequestContext> requests = open;
        if (requests != null) {
            for (RequestContext ctx : requests.values()) {
                ctx.cancel(false);
            }
        }
        hub.unregister(connection);
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

    void send(ObjectNode frame) {
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
            executor = new SerialExecutor();
        }
        return executor;
    }
}
