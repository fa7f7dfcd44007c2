package dev.switchboard.server.internal.observe;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The node's OpenTelemetry tracer and W3C trace-context propagation: off (the no-op API, nothing recorded,
 * nothing allocated per message) unless {@code --otel-endpoint} names an OTLP/HTTP collector or an embedder
 * passes its own {@link OpenTelemetry}. Spans: an HTTP API call, the engine publish it makes, the delivery to
 * local subscribers, a handler run, a backend hook call; a {@code traceparent} from an API request's header or
 * a client envelope's field is their parent, and hook calls send theirs on.
 */
public final class Tracing implements AutoCloseable {

    /** Records nothing. */
    public static final Tracing OFF = new Tracing(OpenTelemetry.noop(), false, null);

    public static final AttributeKey<String> CHANNEL = AttributeKey.stringKey("switchboard.channel");
    public static final AttributeKey<String> TYPE = AttributeKey.stringKey("switchboard.message.type");
    public static final AttributeKey<String> CONNECTION = AttributeKey.stringKey("switchboard.connection");
    public static final AttributeKey<Long> OFFSET = AttributeKey.longKey("switchboard.offset");
    public static final AttributeKey<Long> RECIPIENTS = AttributeKey.longKey("switchboard.recipients");

    private static final TextMapGetter<Map<String, String>> FROM_MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final boolean enabled;
    private final TextMapPropagator propagator = W3CTraceContextPropagator.getInstance();
    private final OpenTelemetrySdk owned;

    private Tracing(OpenTelemetry otel, boolean enabled, OpenTelemetrySdk owned) {
        this.tracer = otel.getTracer("dev.switchboard.gateway");
        this.enabled = enabled;
        this.owned = owned;
    }

    /** Traces into the embedder's (or a test's) OpenTelemetry. */
    public static Tracing using(OpenTelemetry otel) {
        return new Tracing(otel, true, null);
    }

    /** Batches spans to an OTLP/HTTP collector ({@code http://collector:4318}; {@code /v1/traces} is added). */
    public static Tracing otlp(URI endpoint, String serviceName, String nodeId) {
        String url = endpoint.toString().replaceAll("/+$", "");
        if (!url.endsWith("/v1/traces")) {
            url = url + "/v1/traces";
        }
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), serviceName,
                AttributeKey.stringKey("service.instance.id"), nodeId)));
        SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(url).build()).build())
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        return new Tracing(sdk, true, sdk);
    }

    /** Whether spans are recorded: callers skip even building names when not. */
    public boolean enabled() {
        return enabled;
    }

    /** The context a {@code traceparent} (and optional {@code tracestate}) names, else the current one. */
    public Context parent(String traceparent, String tracestate) {
        if (traceparent == null || traceparent.isEmpty()) {
            return Context.current();
        }
        Map<String, String> carrier = tracestate == null ? Map.of("traceparent", traceparent)
                : Map.of("traceparent", traceparent, "tracestate", tracestate);
        return propagator.extract(Context.root(), carrier, FROM_MAP);
    }

    /** Starts a span under {@code parent}. */
    public Span start(String name, SpanKind kind, Context parent) {
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).startSpan();
    }

    /** Writes the headers that carry {@code span}'s context to whoever is called next. */
    public void inject(Span span, BiConsumer<String, String> header) {
        propagator.inject(Context.current().with(span), header, (h, k, v) -> h.accept(k, v));
    }

    /** The header names W3C trace context uses. */
    public static List<String> headers() {
        return List.of("traceparent", "tracestate");
    }

    /** Flushes and stops an exporter this object started. */
    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
