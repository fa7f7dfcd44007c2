package dev.switchboard.server.internal.hooks.http;

import dev.switchboard.server.internal.outbound.CallFailure;

import dev.switchboard.server.internal.outbound.client.BackendAnswer;
import dev.switchboard.server.internal.outbound.client.BackendOrigin;
import dev.switchboard.server.internal.outbound.client.BackendRequest;
import dev.switchboard.server.internal.outbound.client.StreamedAnswer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backend URL a hook POSTs JSON to, over the gateway's pooled event-loop client ({@link BackendOrigin}):
 * its time-out, its bound on calls in flight (more are refused at once, never queued, so an event loop never
 * waits), its answer-size limit, its metrics
 * ({@code switchboard.hook.calls} by hook and outcome, {@code switchboard.hook.duration}), and one log line
 * per failed call.
 */
public final class HookEndpoint {

    private static final Logger log = LoggerFactory.getLogger(HookEndpoint.class);

    private final String hook;
    /** The headers of a call without trace context, in a fixed order. */
    private final Map<String, String> plainHeaders;
    private final URI url;
    private final Duration timeout;
    private final int maxBody;
    private final Semaphore inFlight;
    private final BackendOrigin origin;
    private final MeterRegistry metrics;
    private final Timer okTimer;

    private final dev.switchboard.server.internal.observe.Tracing tracing;

    public HookEndpoint(String hook, BackendOrigin origin, Duration timeout, int concurrency, int maxBody,
                        MeterRegistry metrics, dev.switchboard.server.internal.observe.Tracing tracing) {
        this.tracing = tracing;
        this.hook = hook;
        Map<String, String> plain = new java.util.LinkedHashMap<>();
        plain.put("Accept", "application/json, application/x-ndjson, text/event-stream");
        plain.put("X-Switchboard-Hook", hook);
        this.plainHeaders = java.util.Collections.unmodifiableMap(plain);
        this.url = origin.url();
        this.timeout = timeout;
        this.maxBody = maxBody;
        this.inFlight = new Semaphore(concurrency);
        this.origin = origin;
        this.metrics = metrics;
        this.okTimer = timer("ok");
        io.micrometer.core.instrument.FunctionCounter.builder("switchboard.hook.connections.opened", origin,
                        BackendOrigin::connectionsOpened)
                .description("connections opened to a hook's backend (kept alive and reused across calls)")
                .tag("hook", hook).register(metrics);
    }

    public String hook() {
        return hook;
    }

    public URI url() {
        return url;
    }

    public int maxBody() {
        return maxBody;
    }

    public Duration timeout() {
        return timeout;
    }

    /** POSTs {@code body}; completes with the answer (a JSON object) or fails with {@link CallFailure}. */
    public CompletableFuture<ObjectNode> call(ObjectNode body) {
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.failedFuture(failed(new CallFailure(CallFailure.Kind.OVERLOADED,
                    hook + " hook has too many calls in flight"), 0));
        }
        long start = System.nanoTime();
        io.opentelemetry.api.trace.Span span = span();
        CompletableFuture<ObjectNode> answer;
        try {
            answer = origin.post(request(body, timeout, span)).thenApply(this::parse);
        } catch (RuntimeException e) {
            inFlight.release();
            endSpan(span, e, 0);
            return CompletableFuture.failedFuture(e);
        }
        return answer.handle((json, failure) -> {
            endSpan(span, failure, 0);
            inFlight.release();
            if (failure != null) {
                throw failed(classify(failure), start);
            }
            okTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return json;
        });
    }

    /**
     * POSTs {@code body} for an answer that may be streamed (its content type accepted by {@code streamed});
     * the caller reads the body and must call {@link #release} when done. {@code timeout} bounds the wait for
     * the status line and headers of a stream, for the whole of any other answer. Cancelling the returned
     * future before the answer aborts the exchange (the backend sees its connection close); the call is then
     * over, neither counted as a failure nor to be released.
     */
    CompletableFuture<StreamedAnswer> open(Object body, Duration timeout, java.util.function.Predicate<String> streamed) {
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.failedFuture(failed(new CallFailure(CallFailure.Kind.OVERLOADED,
                    hook + " hook has too many calls in flight"), 0));
        }
        long start = System.nanoTime();
        // The hook's span ends when its answer's headers arrive (a streamed RPC answer goes on after that).
        io.opentelemetry.api.trace.Span span = span();
        CompletableFuture<StreamedAnswer> exchange = origin.open(request(body, timeout, span), streamed);
        CompletableFuture<StreamedAnswer> answer = exchange.handle((response, failure) -> {
            endSpan(span, failure, response == null ? 0 : response.status());
            if (failure != null) {
                inFlight.release();
                if (exchange.isCancelled()) {
                    throw new java.util.concurrent.CancellationException("cancelled by the client");
                }
                throw failed(classify(failure), start);
            }
            return response;
        });
        answer.whenComplete((v, t) -> {
            if (answer.isCancelled()) {
                exchange.cancel(true);
            }
        });
        return answer;
    }

    /** Ends a call started with {@link #open}: {@code failure} null when it went well. */
    void release(long startNanos, CallFailure failure) {
        inFlight.release();
        if (failure == null) {
            okTimer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        } else {
            failed(failure, startNanos);
        }
    }

    /** A span for one call, child of the handler (or API call) that made it; null when not tracing. */
    private io.opentelemetry.api.trace.Span span() {
        return !tracing.enabled() ? null : tracing.start("hook " + hook, io.opentelemetry.api.trace.SpanKind.CLIENT,
                io.opentelemetry.context.Context.current());
    }

    private static void endSpan(io.opentelemetry.api.trace.Span span, Throwable failure, int status) {
        if (span == null) {
            return;
        }
        if (failure != null) {
            span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, failure.toString());
        } else if (status > 0) {
            span.setAttribute("http.response.status_code", status);
        }
        span.end();
    }

    private BackendRequest request(Object body, Duration timeout, io.opentelemetry.api.trace.Span span) {
        Map<String, String> headers = plainHeaders; // one map for every untraced call: its lines are encoded once
        if (span != null) {
            headers = new HashMap<>(plainHeaders);
            tracing.inject(span, headers::put); // the backend's own spans continue the trace
        }
        return new BackendRequest("application/json", serialize(body), headers, timeout, maxBody);
    }

    /**
     * The body (a tree, or a value written field by field) as bytes: the client copies them once, after the
     * request's head, into the buffer it writes.
     */
    private static ByteBuf serialize(Object body) {
        return Unpooled.wrappedBuffer(Json.bytes(body));
    }

    private ObjectNode parse(BackendAnswer response) {
        if (response.status() != 200) {
            throw new CallFailure(CallFailure.Kind.STATUS, hook + " hook answered HTTP " + response.status());
        }
        JsonNode json;
        try {
            json = Json.parse(response.body());
        } catch (RuntimeException e) {
            throw new CallFailure(CallFailure.Kind.BAD_ANSWER, hook + " hook answered invalid JSON");
        }
        if (json == null || !json.isObject()) {
            throw new CallFailure(CallFailure.Kind.BAD_ANSWER, hook + " hook must answer a JSON object");
        }
        return (ObjectNode) json;
    }

    /** A failure of the HTTP exchange as a {@link CallFailure}. */
    static CallFailure classify(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t.getClass() == java.util.concurrent.ExecutionException.class)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof CallFailure hf) {
            return hf;
        }
        return new CallFailure(CallFailure.Kind.UNREACHABLE, "hook call failed: " + t.getClass().getSimpleName());
    }

    /** Counts and logs a failure once; returns it for throwing. */
    CallFailure failed(CallFailure failure, long startNanos) {
        if (startNanos != 0) {
            timer(failure.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        } else {
            // refused before sending, or an answer that arrived but was unusable
            metrics.counter("switchboard.hook.failures", "hook", hook, "outcome",
                    failure.kind().name().toLowerCase(java.util.Locale.ROOT)).increment();
        }
        log.warn("{} hook POST {} failed: {} ({})", hook, url, failure.kind(), failure.getMessage());
        return failure;
    }

    private Timer timer(String outcome) {
        return Timer.builder("switchboard.hook.calls")
                .description("backend hook calls by hook and outcome, with their latency")
                .tag("hook", hook).tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(metrics);
    }
}
