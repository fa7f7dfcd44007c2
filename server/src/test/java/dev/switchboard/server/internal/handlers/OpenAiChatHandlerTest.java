package dev.switchboard.server.internal.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.support.HookBackend;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** llm.chat against a loopback server that speaks the OpenAI chat-completions streaming format. */
class OpenAiChatHandlerTest {

    private final HookBackend upstream = new HookBackend();
    private final CountDownLatch upstreamSawClose = new CountDownLatch(1);
    private TestGateway gw;

    @BeforeEach
    void start() {
        upstream.on("/v1/chat/completions", (call, ex) -> {
            String prompt = call.body().path("messages").path(0).path("content").asText();
            if (!"Bearer sk-test".equals(call.headers().get("authorization"))) {
                HookBackend.respond(ex, 401, "application/json", "{\"error\":{\"message\":\"Incorrect API key\"}}");
                return;
            }
            if (prompt.equals("overloaded")) {
                HookBackend.respond(ex, 429, "application/json", "{\"error\":{\"message\":\"Rate limit reached\"}}");
                return;
            }
            OutputStream out = HookBackend.stream(ex, "text/event-stream");
            try {
                int n = prompt.equals("forever") ? 2000 : 3;
                for (int i = 0; i < n; i++) {
                    HookBackend.writeLine(out, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w" + i + " \"}}]}\n");
                    if (n > 3) {
                        HookBackend.pause(Duration.ofMillis(50));
                    }
                }
                HookBackend.writeLine(out, "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n");
                HookBackend.writeLine(out, "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}}\n");
                HookBackend.writeLine(out, "data: [DONE]\n");
                out.close();
            } catch (IOException e) {
                upstreamSawClose.countDown();
            }
        });
        gw = TestGateway.start(c -> {
            c.llmUpstream = URI.create(upstream.url("/v1").toString());
            c.llmApiKey = "sk-test";
            c.llmModel = "test-model";
        });
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    @Test
    void deltasStreamAsChunksAndTheUsageComesLast() {
        try (WsClient c = gw.connect("alice")) {
            String id = c.request("llm.chat", Map.of("messages", List.of(Map.of("role", "user", "content", "hi"))));
            StringBuilder text = new StringBuilder();
            JsonNode last = null;
            while (true) {
                JsonNode f = c.await(x -> id.equals(x.path("re").asText(null)));
                if (f.path("type").asText().equals("end")) {
                    break;
                }
                assertEquals("chunk", f.path("type").asText(), f.toString());
                text.append(f.path("data").path("text").asText());
                last = f.path("data");
            }
            assertEquals("w0 w1 w2 ", text.toString());
            assertEquals(8, last.path("usage").path("total_tokens").asInt());
            assertEquals("stop", last.path("finishReason").asText());
            JsonNode sent = upstream.next("/v1/chat/completions").body();
            assertEquals("test-model", sent.path("model").asText());
            assertTrue(sent.path("stream").asBoolean());
            assertEquals("alice", sent.path("user").asText());
        }
    }

    @Test
    void upstreamErrorsBecomeErrorFrames() {
        try (WsClient c = gw.connect("alice")) {
            assertEquals("rate_limited", c.callError("llm.chat", Map.of("prompt", "overloaded")));
            assertEquals("bad_request", c.callError("llm.chat", Map.of("messages", "not a list")));
        }
        gw.close();
        gw = TestGateway.start(c -> {
            c.llmUpstream = URI.create(upstream.url("/v1").toString());
            c.llmApiKey = "wrong";
        });
        try (WsClient c = gw.connect("alice")) {
            assertEquals("upstream_unauthorized", c.callError("llm.chat", Map.of("prompt", "hi")));
        }
    }

    @Test
    void cancelClosesTheUpstreamRequest() throws Exception {
        try (WsClient c = gw.connect("alice")) {
            String id = c.request("llm.chat", Map.of("prompt", "forever"));
            c.await(f -> id.equals(f.path("re").asText(null)) && f.path("type").asText().equals("chunk"));
            c.send(Map.of("type", "cancel", "data", Map.of("re", id)));
            assertEquals("cancelled", c.await(f -> id.equals(f.path("re").asText(null))
                    && f.path("type").asText().equals("end")).path("reason").asText());
            assertTrue(upstreamSawClose.await(10, TimeUnit.SECONDS), "the upstream saw its connection close");
        }
    }
}
