package dev.switchboard.server.app;

import dev.switchboard.protocol.Envelope;
import java.util.concurrent.CompletionStage;

/**
 * A handler whose work finishes later, without a thread waiting for it: {@link #start} must not block; it
 * starts the work (an asynchronous HTTP or database call) and returns a stage that completes when the request
 * is answered. The connection's next message waits for that stage, so handlers still run one at a time in
 * arrival order, but no thread is parked meanwhile; when the connection has nothing queued, {@code start}
 * runs right on its I/O thread. A stage that completes normally without an answer sent gets the automatic
 * empty reply (or {@code end} for a stream); one that fails answers with the failure's error, as a thrown
 * exception does for a {@link MessageHandler}.
 */
@FunctionalInterface
public interface AsyncMessageHandler extends MessageHandler {

    CompletionStage<?> start(HandlerContext ctx, Envelope msg);

    /** Blocking use (a caller that runs it on a thread of its own): waits for the stage. */
    @Override
    default void handle(HandlerContext ctx, Envelope msg) throws Exception {
        try {
            start(ctx, msg).toCompletableFuture().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }
}
