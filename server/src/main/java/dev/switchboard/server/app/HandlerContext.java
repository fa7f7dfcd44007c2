package dev.switchboard.server.app;

import dev.switchboard.protocol.Publication;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a handler can see and do for one request. Answer methods are safe from any thread and take effect
 * once: after a reply, error or end, further answers are ignored. A request without an {@code id} gets no
 * reply or chunks (there is nothing to correlate them with), but still gets errors.
 */
public interface HandlerContext {

    /** The connection's id (unique in the cluster). */
    String connectionId();

    /** The browser session id shared by connections with the same cookie. */
    String sessionId();

    /** The authenticated user, or {@code null} for an anonymous connection. */
    String user();

    /** The endpoint path. */
    String endpoint();

    /** The ticket's claims ({@code sub}, {@code exp}, custom ones); empty when anonymous. */
    Map<String, Object> claims();

    /** Answers the request with {@code data} (any Jackson-serialisable value). */
    void reply(Object data);

    /** Answers with an error frame carrying {@code code}. */
    void error(String code, String message);

    /** Sends one chunk of a streamed reply. */
    void chunk(Object data);

    /** Ends a streamed reply. Sent automatically when a streaming handler returns without calling it. */
    void end();

    /**
     * Keeps the request open after the handler returns: the answer (reply, chunks, end) will come later from
     * another thread. Without it, a handler that returns without answering gets an automatic empty reply.
     */
    void defer();

    /** Replies with the stage's result when it completes, or with an error when it fails. */
    default void replyWhenDone(CompletionStage<?> stage) {
        defer();
        stage.whenComplete((result, failure) -> {
            if (failure == null) {
                reply(result);
            } else {
                fail(failure);
            }
        });
    }

    /** Answers with the error that {@code failure} stands for ({@code unavailable}, a handler's code, or {@code internal}). */
    void fail(Throwable failure);

    /** Whether the client cancelled this request (or disconnected). */
    boolean isCancelled();

    /** Runs {@code action} once when the request is cancelled (at once if it already is). */
    void onCancel(Runnable action);

    /** Publishes to a channel as this connection's user. */
    CompletableFuture<Publication> publish(String channel, Object data);

    /** Sends to every connection of {@code user}. */
    CompletableFuture<Void> sendToUser(String user, Object data);

    /** Sends to one connection (by id), on whichever node holds it. */
    CompletableFuture<Void> sendToConnection(String connectionId, Object data);

    /** Sends to every connection of one browser session (all tabs sharing the cookie). */
    CompletableFuture<Void> sendToSession(String sessionId, Object data);

    /** Sends to every connection on this endpoint, optionally not to this one. */
    CompletableFuture<Void> broadcast(Object data, boolean excludeSelf);
}
