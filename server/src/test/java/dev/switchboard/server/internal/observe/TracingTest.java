package dev.switchboard.server.internal.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.server.support.HookBackend;
import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Spans and their parentage, recorded by an in-process exporter from a real gateway. */
class TracingTest {

    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";

    static InMemorySpanExporter spans = InMemorySpanExporter.create();
    static HookBackend backend;
    static TestGateway gw;

    @BeforeAll
    static void start() {
        backend = new HookBackend().json("/subscribe", "{\"result\":{}}");
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
        gw = TestGateway.start(c -> {
            c.hookSubscribeUrl = backend.url("/subscribe");
            c.hookSubscribeChannels = "traced:*";
        }, g -> g.openTelemetry(otel));
    }

    @AfterAll
    static void stop() {
        gw.close();
        backend.close();
    }

    private static SpanData awaitSpan(String name) {
        SpanData[] found = new SpanData[1];
        Poll.until("span " + name, Duration.ofSeconds(5), () -> {
            for (SpanData s : spans.getFinishedSpanItems()) {
                if (s.getName().equals(name)) {
                    found[0] = s;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    @Test
    void anApiPublishContinuesTheCallersTraceThroughTheEngineToTheDelivery() throws Exception {
        try (WsClient sub = gw.connect("reader")) {
            sub.call("subscribe", Map.of("channel", "news:traced"));
            HttpRequest publish = HttpRequest.newBuilder(URI.create(gw.http("/api/publish")))
                    .header("Authorization", "Bearer dev-api-key")
                    .header("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"news:traced\",\"data\":1}")).build();
            assertEquals(200, HttpClient.newHttpClient().send(publish, HttpResponse.BodyHandlers.discarding()).statusCode());
            sub.await(WsClient::isMessage);

            SpanData api = awaitSpan("POST /api/publish");
            SpanData engine = awaitSpan("publish news:traced");
            SpanData delivery = awaitSpan("deliver news:traced");
            assertEquals(SpanKind.SERVER, api.getKind());
            assertEquals(TRACE, api.getTraceId());
            assertEquals(CALLER_SPAN, api.getParentSpanId(), "the API span's parent is the caller's span");
            assertEquals(200L, api.getAttributes().get(io.opentelemetry.api.common.AttributeKey.longKey("http.response.status_code")));
            assertEquals(api.getSpanId(), engine.getParentSpanId());
            assertEquals(SpanKind.PRODUCER, engine.getKind());
            assertEquals(1L, engine.getAttributes().get(Tracing.OFFSET));
            assertEquals(engine.getSpanId(), delivery.getParentSpanId());
            assertEquals(1L, delivery.getAttributes().get(Tracing.RECIPIENTS));
            assertEquals(TRACE, delivery.getTraceId());
        }
    }

    @Test
    void anEnvelopesTraceparentIsTheHandlersParentAndTheHookCallSendsItOn() {
        String trace = "0af7651916cd43dd8448eb211c80319c";
        String clientSpan = "b7ad6b7169203331";
        try (WsClient ws = gw.connect("tracer")) {
            ws.send(Map.of("id", "t1", "type", "subscribe", "data", Map.of("channel", "traced:room"),
                    "traceparent", "00-" + trace + "-" + clientSpan + "-01"));
            ws.await(f -> "t1".equals(f.path("re").asText()));
            SpanData handler = awaitSpan("handle subscribe");
            assertEquals(trace, handler.getTraceId());
            assertEquals(clientSpan, handler.getParentSpanId());
            SpanData hook = awaitSpan("hook subscribe");
            assertEquals(SpanKind.CLIENT, hook.getKind());
            assertEquals(handler.getSpanId(), hook.getParentSpanId());
            String sent = backend.next("/subscribe").headers().get("traceparent");
            assertTrue(sent.startsWith("00-" + trace + "-" + hook.getSpanId()), "the backend continues the trace: " + sent);
        }
    }

    @Test
    void withoutATraceparentAHandlerStartsItsOwnTrace() {
        try (WsClient ws = gw.connect("untraced")) {
            ws.call("echo", Map.of("x", 1));
            SpanData handler = awaitSpan("handle echo");
            assertEquals(io.opentelemetry.api.trace.SpanId.getInvalid(), handler.getParentSpanId());
            assertTrue(List.of(SpanKind.SERVER).contains(handler.getKind()));
        }
    }
}
