package dev.switchboard.server.internal.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Publication;
import dev.switchboard.server.engine.BatchEntry;
import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.internal.observe.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish front of the node: publications go into the engine (which fans them out to every node, this
 * one through the {@link Hub}), each in a span when tracing, and every stored publication is told to the
 * listeners (bridges forward them).
 */
public final class Publisher {

    private static final Logger log = LoggerFactory.getLogger(Publisher.class);

    private final Broker broker;
    private final List<Consumer<Publication>> published = new CopyOnWriteArrayList<>();
    private volatile Tracing tracing = Tracing.OFF;

    Publisher(Broker broker) {
        this.broker = broker;
    }

    void tracing(Tracing tracing) {
        this.tracing = tracing;
    }

    /** Tells {@code listener} of every publication stored through this node (bridges forward them). */
    public void onPublished(Consumer<Publication> listener) {
        published.add(listener);
    }

    /**
     * Publishes to a channel through the engine (offset, timestamp, history, fan-out to all nodes), unless a
     * publication with {@code idempotencyKey} was made in the channel within the dedup window (then completes
     * with that one): how a replayed Kafka record or a retried API call stays single.
     */
    public CompletableFuture<Publication> publish(String channel, String from, JsonNode data, String idempotencyKey) {
        return publishBatch(channel, List.of(new BatchEntry(from, data, idempotencyKey))).thenApply(ps -> ps.get(0));
    }

    /**
     * Several publications of one channel in one engine round trip ({@link Broker#publishBatch}), each told to
     * the publication listeners as {@link #publish} tells one.
     */
    public CompletableFuture<List<Publication>> publishBatch(String channel, List<BatchEntry> entries) {
        CompletableFuture<List<Publication>> stored = tracing.enabled() ? traced(channel, entries)
                : broker.publishBatch(channel, entries);
        if (published.isEmpty()) {
            return stored;
        }
        return stored.thenApply(ps -> {
            for (Publication p : ps) {
                for (Consumer<Publication> l : published) {
                    try {
                        l.accept(p);
                    } catch (RuntimeException e) {
                        log.warn("a publication listener failed: {}", e.toString());
                    }
                }
            }
            return ps;
        });
    }

    /** The engine publish as a span, current while the engine runs (the memory engine's delivery is its child). */
    private CompletableFuture<List<Publication>> traced(String channel, List<BatchEntry> entries) {
        Span span = tracing.start("publish " + channel, SpanKind.PRODUCER, Context.current());
        span.setAttribute(Tracing.CHANNEL, channel);
        CompletableFuture<List<Publication>> stored;
        try (Scope scope = span.makeCurrent()) {
            stored = broker.publishBatch(channel, entries);
        } catch (RuntimeException e) {
            span.recordException(e).setStatus(StatusCode.ERROR).end();
            throw e;
        }
        return stored.whenComplete((ps, failure) -> { // the span ends when the engine answered
            if (failure != null) {
                span.recordException(failure).setStatus(StatusCode.ERROR);
            } else {
                span.setAttribute(Tracing.OFFSET, ps.get(ps.size() - 1).offset());
            }
            span.end();
        });
    }

}
