package dev.switchboard.server.internal.hooks.http;

import dev.switchboard.server.internal.outbound.CallFailure;

import dev.switchboard.server.internal.outbound.LimitedBody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backend URL a hook POSTs JSON to: its time-out, its bound on calls in flight (more are refused at once,
 * never queued, so an event loop never waits), its answer-size limit, its metrics
 * ({@code switchboard.hook.calls} by hook and outcome, {@code switchboard.hook.duration}), and one log line
 * per failed call.
 */
public final class HookEndpoint {

    private static final Logger log = LoggerFactory.getLogger(HookEndpoint.class);

    private final String hook;
    private final URI url;
    private final Duration timeout;
    private final int maxBody;
    private final Semaphore inFlight;
    private final HttpClient http;
    private final MeterRegistry metrics;
    private final Timer okTimer;

    private final dev.switchboard.server.internal.observe.Tracing tracing;

    public HookEndpoint(String hook, URI url, Duration timeout, int concurrency, int maxBody, HttpClient http,
                        MeterRegistry metrics, dev.switchboard.server.internal.observe.Tracing tracing) {
        this.tracing = tracing;
        this.hook = hook;
        this.url = url;
        this.timeout = timeout;
        this.maxBody = maxBody;
        this.inFlight = new Semaphore(concurrency);
        this.http = http;
        this.metrics = metrics;
        this.okTimer = timer("ok");
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
            answer = http.sendAsync(request(body, timeout, span), LimitedBody.handler(maxBody))
                    .thenApply(this::parse);
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
     * POSTs {@code body} for a streamed answer; the caller reads the body and must call {@link #release} when
     * done. {@code timeout} bounds the wait for the status line and headers.
     */
    CompletableFuture<HttpResponse<InputStream>> open(ObjectNode body, Duration timeout) {
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.failedFuture(failed(new CallFailure(CallFailure.Kind.OVERLOADED,
                    hook + " hook has too many calls in flight"), 0));
        }
        long start = System.nanoTime();
        // The hook's span ends when its answer's headers arrive (a streamed RPC answer goes on after that).
        io.opentelemetry.api.trace.Span span = span();
        return http.sendAsync(request(body, timeout, span), HttpResponse.BodyHandlers.ofInputStream())
                .handle((response, failure) -> {
                    endSpan(span, failure, response == null ? 0 : response.statusCode());
                    if (failure != null) {
                        inFlight.release();
                        throw failed(classify(failure), start);
                    }
                    return response;
                });
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

    private HttpRequest request(ObjectNode body, Duration timeout, io.opentelemetry.api.trace.Span span) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url);
        if (span != null) {
            tracing.inject(span, b::header); // the backend's own spans continue the trace
        }
        return b
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/x-ndjson, text/event-stream")
                .header("X-Switchboard-Hook", hook)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)))
                .build();
    }

    private ObjectNode parse(HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            throw new CallFailure(CallFailure.Kind.STATUS, hook + " hook answered HTTP " + response.statusCode());
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
        if (t instanceof HttpTimeoutException) {
            return new CallFailure(CallFailure.Kind.TIMEOUT, "hook did not answer in time");
        }
        if (t instanceof ConnectException) {
            return new CallFailure(CallFailure.Kind.UNREACHABLE, "hook backend is unreachable");
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
