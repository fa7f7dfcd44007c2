package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streamed replies through the public handler API: chunks, end, cancel by frame and by disconnect. */
class StreamingTest {

    static TestGateway gw;
    static final CountDownLatch tokensStarted = new CountDownLatch(1);
    static final CountDownLatch cancelObserved = new CountDownLatch(1);
    static final CountDownLatch disconnectObserved = new CountDownLatch(1);
    static final AtomicInteger chunksAfterCancel = new AtomicInteger();

    @BeforeAll
    static void start() {
        gw = TestGateway.start(c -> { }, g -> g.endpoint("/ws")
                .on("llm.complete", (ctx, msg) -> {
                    int n = msg.data().path("tokens").asInt(5);
                    for (int i = 0; i < n; i++) {
                        ctx.chunk(Map.of("token", "t" + i));
                    }
                })
                .on("llm.slow", (ctx, msg) -> {
                    ctx.onCancel(cancelObserved::countDown);
                    tokensStarted.countDown();
                    while (!ctx.isCancelled()) {
                        ctx.chunk(Map.of("token", "x"));
                        Thread.sleep(20);
                    }
                    ctx.chunk(Map.of("token", "after-cancel")); // must be dropped
                    chunksAfterCancel.incrementAndGet();
                })
                .on("llm.until.disconnect", (ctx, msg) -> {
                    ctx.onCancel(disconnectObserved::countDown);
                    ctx.chunk(Map.of("token", "first"));
                    while (!ctx.isCancelled()) {
                        Thread.sleep(10);
                    }
                })
                .on("app.fail", (ctx, msg) -> {
                    throw new ProtocolException("quota_exceeded", "no more tokens today");
                })
                .on("app.crash", (ctx, msg) -> {
                    throw new IllegalStateException("bug");
                })
                .on("app.blocking", (ctx, msg) -> {
                    Thread.sleep(200);
                    ctx.reply(Map.of("slept", true));
                }));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void chunksThenEnd() {
        try (WsClient c = gw.connect("alice")) {
            String id = c.request("llm.complete", Map.of("tokens", 20));
            for (int i = 0; i < 20; i++) {
                JsonNode chunk = c.await(f -> id.equals(f.path("re").asText(null)));
                assertEquals("chunk", chunk.get("type").asText());
                assertEquals("t" + i, chunk.at("/data/token").asText());
            }
            JsonNode end = c.await(f -> id.equals(f.path("re").asText(null)));
            assertEquals("end", end.get("type").asText());
            assertFalse(end.has("reason"));
        }
    }

    @Test
    void cancelStopsTheStreamAndTheHandlerSeesIt() throws Exception {
        try (WsClient c = gw.connect("bob")) {
            String id = c.request("llm.slow", null);
            c.await(f -> "chunk".equals(f.path("type").asText()));
            assertTrue(tokensStarted.await(5, TimeUnit.SECONDS));
            c.send(Map.of("type", "cancel", "data", Map.of("re", id)));
            JsonNode end = c.await(f -> "end".equals(f.path("type").asText()));
            assertEquals(id, end.get("re").asText());
            assertEquals("cancelled", end.get("reason").asText());
            assertTrue(cancelObserved.await(5, TimeUnit.SECONDS));
            c.assertNone(f -> f.toString().contains("after-cancel"), Duration.ofMillis(300));
            assertEquals("not_found", c.callError("cancel", Map.of("re", "nope")));
            assertEquals(1, c.call("echo", Map.of("n", 1)).get("n").asInt(), "the connection goes on");
        }
    }

    @Test
    void disconnectCancelsTheHandler() throws Exception {
        WsClient c = gw.connect("carol");
        c.request("llm.until.disconnect", null);
        c.await(f -> "chunk".equals(f.path("type").asText()));
        c.abort();
        assertTrue(disconnectObserved.await(5, TimeUnit.SECONDS));
    }

    @Test
    void handlerErrorsBecomeErrorFrames() {
        try (WsClient c = gw.connect("dave")) {
            assertEquals("quota_exceeded", c.callError("app.fail", null));
            assertEquals(ErrorCode.INTERNAL.code(), c.callError("app.crash", null));
            assertEquals(1, c.call("echo", Map.of("n", 1)).get("n").asInt());
        }
    }

    @Test
    void blockingHandlerDoesNotStallOtherConnections() {
        try (WsClient slow = gw.connect("erin"); WsClient fast = gw.connect("fred")) {
            String id = slow.request("app.blocking", null);
            long t0 = System.nanoTime();
            assertEquals(1, fast.call("echo", Map.of("n", 1)).get("n").asInt());
            long fastMillis = (System.nanoTime() - t0) / 1_000_000;
            JsonNode reply = slow.await(f -> id.equals(f.path("re").asText(null)));
            assertTrue(reply.at("/data/slept").asBoolean());
            // ordering evidence rather than a timing threshold: the echo was answered while the sleep ran
            assertTrue(fastMillis < 5_000);
        }
    }

    @Test
    void demoStreamHandlerStreamsWords() {
        try (WsClient c = gw.connect("gina")) {
            String id = c.request("demo.stream", Map.of("prompt", "hello"));
            JsonNode first = c.await(f -> id.equals(f.path("re").asText(null)));
            assertEquals("chunk", first.get("type").asText());
            assertTrue(first.at("/data/text").asText().endsWith(" "));
            c.send(Map.of("type", "cancel", "data", Map.of("re", id)));
            assertEquals("cancelled", c.await(f -> "end".equals(f.path("type").asText())).get("reason").asText());
        }
    }
}
