package dev.switchboard.server.internal.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.support.HookBackend;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Subscribe, publish and RPC hooks answered by a backend on a loopback port. */
class ChannelAndRpcHookTest {

    private final HookBackend backend = new HookBackend();
    private final CountDownLatch backendSawClose = new CountDownLatch(1);
    private final CountDownLatch slowMayAnswer = new CountDownLatch(1);
    private TestGateway gw;

    @BeforeEach
    void start() {
        backend.on("/subscribe", (call, ex) -> HookBackend.respond(ex, 200, "application/json",
                call.body().path("channel").asText().equals("room:secret")
                        ? "{\"error\":{\"code\":\"not_a_member\",\"message\":\"ask for an invite\"}}"
                        : "{\"data\":{\"topic\":\"welcome to " + call.body().path("channel").asText() + "\"}}"));
        backend.on("/publish", (call, ex) -> {
            JsonNode data = call.body().path("data");
            if (data.path("text").asText().contains("spam")) {
                HookBackend.respond(ex, 200, "application/json", "{\"error\":{\"code\":\"moderated\",\"message\":\"no spam\"}}");
            } else {
                HookBackend.respond(ex, 200, "application/json", "{\"data\":{\"text\":\""
                        + data.path("text").asText().toUpperCase() + "\",\"by\":\"" + call.body().path("user").asText() + "\"}}");
            }
        });
        backend.on("/rpc", (call, ex) -> {
            JsonNode body = call.body();
            switch (body.path("type").asText()) {
                case "app.add" -> HookBackend.respond(ex, 200, "application/json", "{\"data\":{\"sum\":"
                        + (body.path("data").path("a").asInt() + body.path("data").path("b").asInt()) + ",\"user\":\""
                        + body.path("user").asText() + "\"}}");
                case "app.fail" -> HookBackend.respond(ex, 200, "application/json", "{\"error\":{\"code\":\"no_such_order\",\"message\":\"order 7 is unknown\"}}");
                case "app.empty" -> HookBackend.respond(ex, 200, "application/json", "{\"other\":1}");
                case "app.exact" -> HookBackend.respond(ex, 200, "application/json", " {\"data\" : {\"n\":1.50,\"s\":\"\\u00e9\\\"\"} ,\"x\":[]}\n");
                case "app.null" -> HookBackend.respond(ex, 200, "application/json", "{\"data\":null}");
                case "app.garbage" -> HookBackend.respond(ex, 200, "application/json", "{\"data\":[1,}");
                case "app.array" -> HookBackend.respond(ex, 200, "application/json", "[{\"data\":1}]");
                case "app.trailing" -> HookBackend.respond(ex, 200, "application/json", "{\"data\":1} {\"data\":2}");
                case "app.slow" -> {
                    try {
                        slowMayAnswer.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    HookBackend.respond(ex, 200, "application/json", "{\"data\":\"slow\"}");
                }
                case "app.ndjson" -> {
                    OutputStream out = HookBackend.stream(ex, "application/x-ndjson");
                    for (int i = 0; i < 3; i++) {
                        HookBackend.writeLine(out, "{\"token\":\"t" + i + "\"}");
                    }
                    out.close();
                }
                case "app.sse" -> {
                    OutputStream out = HookBackend.stream(ex, "text/event-stream");
                    HookBackend.writeLine(out, ": keep-alive comment\n");
                    HookBackend.writeLine(out, "data: Hello\n");
                    HookBackend.writeLine(out, "data: {\"n\":2}\n");
                    out.close();
                }
                case "app.forever" -> {
                    OutputStream out = HookBackend.stream(ex, "application/x-ndjson");
                    try {
                        for (int i = 0; i < 2000; i++) { // bounded: 100 s at most
                            HookBackend.writeLine(out, "{\"i\":" + i + "}");
                            HookBackend.pause(Duration.ofMillis(50));
                        }
                    } catch (IOException e) {
                        backendSawClose.countDown(); // the gateway closed the connection: the stream is abandoned
                    }
                }
                default -> HookBackend.respond(ex, 404, "text/plain", "no");
            }
        });
        gw = TestGateway.start(c -> {
            c.hookSubscribeUrl = backend.url("/subscribe");
            c.hookSubscribeChannels = "room:*";
            c.hookPublishUrl = backend.url("/publish");
            c.hookPublishChannels = "room:*";
            c.hookRpcUrl = backend.url("/rpc");
            c.hookRpcTypes = "app.*";
        });
    }

    @AfterEach
    void stop() {
        gw.close();
        backend.close();
    }

    @Test
    void theSubscribeHookAllowsWithDataOrDeniesWithItsOwnCode() {
        try (WsClient c = gw.connect("alice")) {
            JsonNode reply = c.call("subscribe", Map.of("channel", "room:1", "data", Map.of("invite", "x")));
            assertEquals("welcome to room:1", reply.path("data").path("topic").asText());
            HookBackend.Call call = backend.next("/subscribe");
            assertEquals("alice", call.body().path("user").asText());
            assertEquals("x", call.body().path("data").path("invite").asText());
            assertEquals("not_a_member", c.callError("subscribe", Map.of("channel", "room:secret")));
            c.call("subscribe", Map.of("channel", "lobby")); // outside the hook's patterns: not asked
            backend.next("/subscribe");
            assertEquals(0, backend.pending("/subscribe"));
        }
    }

    @Test
    void thePublishHookRewritesBeforeStoringAndFanningOutOrDenies() {
        try (WsClient sub = gw.connect("bob"); WsClient pub = gw.connect("alice")) {
            sub.call("subscribe", Map.of("channel", "room:1"));
            pub.call("publish", Map.of("channel", "room:1", "data", Map.of("text", "hello")));
            JsonNode message = sub.await(WsClient::isMessage);
            assertEquals("HELLO", message.path("data").path("text").asText());
            assertEquals("alice", message.path("data").path("by").asText());
            assertEquals("moderated", pub.callError("publish", Map.of("channel", "room:1", "data", Map.of("text", "buy spam"))));
            JsonNode history = gw.api("GET", "/api/channels/room:1/history", null).body();
            assertEquals(1, history.path("publications").size(), history.toString());
            assertEquals("HELLO", history.path("publications").get(0).path("data").path("text").asText());
        }
    }

    @Test
    void rpcRepliesErrorsAndStreamsComeFromTheBackend() {
        try (WsClient c = gw.connect("alice")) {
            JsonNode sum = c.call("app.add", Map.of("a", 2, "b", 3));
            assertEquals(5, sum.path("sum").asInt());
            assertEquals("alice", sum.path("user").asText());
            assertEquals("no_such_order", c.callError("app.fail", Map.of()));
            assertEquals("hook_failed", c.callError("app.unknown", Map.of())); // the backend's 404
            assertEquals("hook_failed", c.callError("app.empty", Map.of())); // neither data nor error: not a null reply
            assertEquals("unknown_type", c.callError("other.thing", Map.of())); // not an RPC type
            // the data goes into the reply as the backend wrote it (no parse tree in between), valid or refused
            String id = c.request("app.exact", Map.of());
            assertTrue(c.awaitText(t -> t.contains("\"re\":\"" + id + "\"")).endsWith("\"data\":{\"n\":1.50,\"s\":\"\\u00e9\\\"\"}}"));
            assertTrue(c.call("app.null", Map.of()).isNull());
            for (String bad : List.of("app.garbage", "app.array", "app.trailing")) {
                assertEquals("hook_failed", c.callError(bad, Map.of()), bad);
            }

            assertEquals(List.of("{\"token\":\"t0\"}", "{\"token\":\"t1\"}", "{\"token\":\"t2\"}"), streamed(c, "app.ndjson"));
            assertEquals(List.of("\"Hello\"", "{\"n\":2}"), streamed(c, "app.sse"));
        }
    }

    private static List<String> streamed(WsClient c, String type) {
        String id = c.request(type, Map.of());
        List<String> chunks = new ArrayList<>();
        while (true) {
            JsonNode f = c.await(x -> id.equals(x.path("re").asText(null)));
            if (f.path("type").asText().equals("chunk")) {
                chunks.add(f.path("data").toString());
            } else {
                assertEquals("end", f.path("type").asText(), f.toString());
                assertFalse(f.has("reason"), f.toString());
                return chunks;
            }
        }
    }

    @Test
    void aCancelAbortsTheBackendsStream() throws Exception {
        try (WsClient c = gw.connect("alice")) {
            String id = c.request("app.forever", Map.of());
            c.await(f -> id.equals(f.path("re").asText(null)) && f.path("type").asText().equals("chunk"));
            c.send(Map.of("type", "cancel", "data", Map.of("re", id)));
            JsonNode end = c.await(f -> id.equals(f.path("re").asText(null)) && f.path("type").asText().equals("end"));
            assertEquals("cancelled", end.path("reason").asText());
            assertTrue(backendSawClose.await(10, TimeUnit.SECONDS), "the backend saw its connection close");
            assertEquals("still", c.call("echo", "still").asText());
        }
    }

    @Test
    void aDisconnectAbortsTheBackendsStream() throws Exception {
        WsClient c = gw.connect("alice");
        String id = c.request("app.forever", Map.of());
        c.await(f -> id.equals(f.path("re").asText(null)) && f.path("type").asText().equals("chunk"));
        c.abort();
        assertTrue(backendSawClose.await(10, TimeUnit.SECONDS), "the backend saw its connection close");
    }

    @Test
    void aConnectionsHandlersStayInArrivalOrderWhileAnRpcWaitsForItsBackend() throws Exception {
        try (WsClient c = gw.connect("alice")) {
            String slow = c.request("app.slow", Map.of());
            String echo = c.request("echo", "after");
            // No thread waits for the backend, yet the echo queued behind the RPC is not answered before it.
            c.assertNone(f -> f.has("re"), Duration.ofMillis(300));
            slowMayAnswer.countDown();
            JsonNode first = c.await(f -> f.has("re"));
            JsonNode second = c.await(f -> f.has("re"));
            assertEquals(slow, first.path("re").asText());
            assertEquals("slow", first.path("data").asText());
            assertEquals(echo, second.path("re").asText());
        }
    }

    @Test
    void aCancelBeforeTheAnswerFreesTheConnectionAtOnce() throws Exception {
        try (WsClient c = gw.connect("alice")) {
            String id = c.request("app.slow", Map.of());
            c.send(Map.of("type", "cancel", "data", Map.of("re", id)));
            JsonNode end = c.await(f -> id.equals(f.path("re").asText(null)) && f.path("type").asText().equals("end"));
            assertEquals("cancelled", end.path("reason").asText());
            assertEquals("next", c.call("echo", "next").asText()); // not held until the backend answers
        } finally {
            slowMayAnswer.countDown();
        }
    }
}
