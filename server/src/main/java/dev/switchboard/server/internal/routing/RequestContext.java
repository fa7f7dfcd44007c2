package dev.switchboard.server.internal.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.delivery.ChannelMembership;
import dev.switchboard.server.internal.operations.Operations;
import dev.switchboard.server.internal.handlers.BuiltinContext;
import dev.switchboard.server.app.LifecycleHooks;
import dev.switchboard.server.engine.Target;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.engine.EngineUnavailableException;
import dev.switchboard.protocol.Publication;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One request's answer state machine: OPEN → (STREAMING) → DONE, whichever thread gets there first. */
final class RequestContext implements BuiltinContext, ReplyOutputs.Stoppable {

    private static final Logger log = LoggerFactory.getLogger(RequestContext.class);
    private static final int OPEN = 0;
    private static final int STREAMING = 1;
    private static final int DONE = 2;

    private final Client client;
    private final String id;
    private final String type;
    private final AtomicInteger state = new AtomicInteger(OPEN);
    private volatile boolean deferred;
    private volatile boolean cancelled;
    private List<Runnable> cancelActions; // guarded by this
    /** A resumable reply's output; null: frames go straight to the connection. */
    private volatile ReplyOutput output;

    RequestContext(Client client, String id, String type) {
        this.client = client;
        this.id = id;
        this.type = type;
    }

    String id() {
        return id;
    }

    /** Sends this request's answer through {@code output} (a resumable reply) from now on. */
    void output(ReplyOutput output) {
        this.output = output;
    }

    /** Whether the handler keeps producing after the connection closed (its answer goes into a stream). */
    boolean outlivesConnection() {
        return output != null;
    }

    /** The connection closed under a resumable reply: it goes on, into its stream only. */
    void detach() {
        ReplyOutput o = output;
        if (o != null) {
            o.detach();
        }
    }

    /** A frame (a tree, or a value written field by field) to the resumable output, else to the connection. */
    private void out(Object frame) {
        ReplyOutput o = output;
        if (o != null) {
            // the output's stream reads its frames, so it gets a tree
            o.send(frame instanceof ObjectNode tree ? tree
                    : (ObjectNode) Json.toTree(frame));
        } else {
            client.send(frame);
        }
    }

    @Override
    public String connectionId() {
        return client.connection().id();
    }

    @Override
    public String sessionId() {
        return client.connection().sessionId();
    }

    @Override
    public String user() {
        return client.connection().user();
    }

    @Override
    public String endpoint() {
        return client.connection().endpoint();
    }

    @Override
    public Map<String, Object> claims() {
        return client.connection().claims();
    }

    @Override
    public void reply(Object data) {
        if (finish() && id != null) {
            out(Frames.reply(id, data));
        }
    }

    @Override
    public void answer(ObjectNode frame) {
        if (finish()) {
            out(frame);
        }
    }

    @Override
    public void error(String code, String message) {
        if (finish()) {
            if (output != null) {
                out(Frames.error(id, code, message));
            } else {
                client.sendError(id, code, message);
            }
        }
    }

    @Override
    public void chunk(Object data) {
        if (id == null) {
            return;
        }
        if (state.compareAndSet(OPEN, STREAMING) || state.get() == STREAMING) {
            out(Frames.chunk(id, data));
        }
    }

    @Override
    public void stream(ObjectNode frame) {
        if (id != null && (state.compareAndSet(OPEN, STREAMING) || state.get() == STREAMING)) {
            out(frame);
        }
    }

    @Override
    public void end() {
        if (finish() && id != null) {
            out(Frames.end(id, null));
        }
    }

    @Override
    public void defer() {
        deferred = true;
    }

    @Override
    public void fail(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ProtocolException pe) {
            error(pe.code(), pe.getMessage());
        } else if (cause instanceof EngineUnavailableException) {
            error(ErrorCode.UNAVAILABLE.code(), "engine unavailable, retry later");
        } else {
            log.error("handler for {} on connection {} failed", type, connectionId(), cause);
            error(ErrorCode.INTERNAL.code(), "internal error");
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void onCancel(Runnable action) {
        synchronized (this) {
            if (!cancelled) {
                if (cancelActions == null) {
                    cancelActions = new ArrayList<>(2);
                }
                cancelActions.add(action);
                return;
            }
        }
        action.run();
    }

    /** Cancels: the handler sees {@link #isCancelled()}, callbacks run, and the client gets {@code end cancelled}. */
    void cancel(boolean notifyClient) {
        cancel(notifyClient ? ErrorCode.CANCELLED.code() : null);
    }

    /** Stops the handler as a cancel does; the answer ends with {@code reason} (null: no end frame). */
    @Override
    public void stop(String reason) {
        cancel(reason);
    }

    private void cancel(String reason) {
        List<Runnable> actions;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            actions = cancelActions == null ? List.of() : cancelActions;
            cancelActions = null;
        }
        if (finish() && reason != null && id != null) {
            out(Frames.end(id, reason));
        }
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.warn("cancel callback of {} failed", type, e);
            }
        }
    }

    /** Called when the handler method returned: closes what the handler left open, unless it deferred. */
    void handlerReturned() {
        // A cancelled request is answered by cancel() ("end" with reason "cancelled"), even when the handler
        // saw the flag and returned before cancel() got to answer.
        if (deferred || cancelled) {
            return;
        }
        if (state.get() == STREAMING) {
            end();
        } else if (state.get() == OPEN) {
            reply(null);
        }
    }

    boolean isDone() {
        return state.get() == DONE;
    }

    private boolean finish() {
        while (true) {
            int s = state.get();
            if (s == DONE) {
                return false;
            }
            if (state.compareAndSet(s, DONE)) {
                client.requestFinished(this);
                return true;
            }
        }
    }

    @Override
    public CompletableFuture<Publication> publish(String channel, Object data) {
        return operations().publish(channel, user(), data, null);
    }

    @Override
    public CompletableFuture<Void> sendToUser(String user, Object data) {
        return operations().send(Target.user(user), user(), Json.toTree(data));
    }

    @Override
    public CompletableFuture<Void> sendToConnection(String connectionId, Object data) {
        return operations().send(Target.connection(connectionId), user(), Json.toTree(data));
    }

    @Override
    public CompletableFuture<Void> sendToSession(String sessionId, Object data) {
        return operations().send(Target.session(sessionId), user(), Json.toTree(data));
    }

    @Override
    public CompletableFuture<Void> broadcast(Object data, boolean excludeSelf) {
        return operations().broadcast(endpoint(), excludeSelf ? connectionId() : null, user(), Json.toTree(data));
    }

    @Override
    public Connection connection() {
        return client.connection();
    }

    @Override
    public Operations operations() {
        return client.node().operations();
    }

    @Override
    public ChannelMembership channels() {
        return client.node().channels();
    }

    @Override
    public LifecycleHooks hooks() {
        return client.hooks();
    }

    @Override
    public int maxSubscriptions() {
        return client.settings().maxSubscriptions();
    }

    @Override
    public CompletableFuture<Map<String, Object>> authenticate(String token, JsonNode data) {
        return client.authenticate(token, data);
    }

    @Override
    public Map<String, Object> refresh(String token) {
        return client.refresh(token);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
