package dev.switchboard.server.internal.routing;

import dev.switchboard.protocol.Envelope;
import dev.switchboard.server.internal.observe.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One handler's turn on a request: its span (a child of the client's traceparent when it sent one), its
 * timing, and the answer when the turn is over — the automatic empty reply (or {@code end}) when the handler
 * left the request open, the error when it failed. A blocking handler's turn is over when it returns; an
 * {@link dev.switchboard.server.app.AsyncMessageHandler}'s when its stage completes.
 */
final class HandlerTurn {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private HandlerTurn() {
    }

    /** Runs a blocking handler to its end on the calling thread. */
    static void run(HandlerRegistry.Registration reg, RequestContext ctx, Envelope msg, ClientSettings settings,
                    String connection) {
        take(reg, ctx, msg, settings, connection, () -> {
            reg.handler().handle(ctx, msg);
            return DONE;
        });
    }

    /** Starts an asynchronous handler; the returned stage completes when its turn is over. */
    static CompletionStage<?> start(HandlerRegistry.Registration reg, RequestContext ctx, Envelope msg,
                                    ClientSettings settings, String connection) {
        return take(reg, ctx, msg, settings, connection, () -> reg.async().start(ctx, msg));
    }

    private static CompletionStage<?> take(HandlerRegistry.Registration reg, RequestContext ctx, Envelope msg,
                                           ClientSettings settings, String connection,
                                           Callable<CompletionStage<?>> handler) {
        if (ctx.isCancelled()) {
            return DONE;
        }
        Span span = span(msg, settings.tracing(), connection);
        long start = System.nanoTime();
        CompletionStage<?> stage;
        try (Scope scope = span == null ? null : span.makeCurrent()) {
            stage = handler.call();
        } catch (Throwable t) {
            stage = CompletableFuture.failedFuture(t);
        }
        return stage.whenComplete((v, failure) -> {
            if (failure == null) {
                ctx.handlerReturned();
            } else {
                if (span != null) {
                    span.recordException(failure).setStatus(StatusCode.ERROR);
                }
                ctx.fail(failure);
            }
            if (span != null) {
                span.end();
            }
            settings.metrics().handler(reg.type()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
    }

    private static Span span(Envelope msg, Tracing tracing, String connection) {
        if (!tracing.enabled()) {
            return null;
        }
        Span span = tracing.start("handle " + msg.type(), SpanKind.SERVER, tracing.parent(msg.traceparent(), null));
        span.setAttribute(Tracing.TYPE, msg.type()).setAttribute(Tracing.CONNECTION, connection);
        return span;
    }
}
