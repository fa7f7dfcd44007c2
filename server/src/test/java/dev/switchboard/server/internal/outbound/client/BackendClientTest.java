package dev.switchboard.server.internal.outbound.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.server.internal.outbound.CallFailure;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pooled backend client against loopback backends written byte by byte. */
class BackendClientTest {

    private static final int LOOPS = 2;
    private static EventLoopGroup loops;
    private static BackendClient client;

    @BeforeAll
    static void start() {
        loops = new MultiThreadIoEventLoopGroup(LOOPS, NioIoHandler.newFactory());
        client = new BackendClient(loops, NioSocketChannel.class);
    }

    @AfterAll
    static void stop() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static BackendOrigin origin(RawBackend backend) {
        return client.origin(URI.create("http://127.0.0.1:" + backend.port() + "/hook?x=1"), Duration.ofSeconds(2), 8);
    }

    private static BackendRequest request(String body, Duration timeout, int maxBody) {
        return new BackendRequest("application/json", Unpooled.copiedBuffer(body, StandardCharsets.UTF_8),
                Map.of("X-Test", "1"), timeout, maxBody);
    }

    private static BackendAnswer post(BackendOrigin origin, String body) throws Exception {
        return origin.post(request(body, Duration.ofSeconds(5), 1024)).get(10, TimeUnit.SECONDS);
    }

    private static CallFailure failure(java.util.concurrent.CompletableFuture<?> call) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(CallFailure.class, e.getCause());
    }

    @Test
    void sequentialCallsShareOneKeptAliveConnection() throws Exception {
        try (RawBackend backend = new RawBackend((c, n, body, out, s) -> RawBackend.answer(out, "", "{\"echo\":" + body + "}"))) {
            BackendOrigin origin = origin(backend);
            for (int i = 0; i < 20; i++) {
                BackendAnswer a = post(origin, "{\"i\":" + i + "}");
                assertEquals(200, a.status());
                assertEquals("application/json", a.contentType());
                assertEquals("{\"echo\":{\"i\":" + i + "}}", new String(a.body(), StandardCharsets.UTF_8));
            }
            // one per event loop at most: calls from outside the loops are spread over them, each with its pool
            assertTrue(origin.connectionsOpened() <= LOOPS, "opened " + origin.connectionsOpened());
            assertEquals(origin.connectionsOpened(), backend.accepted.get());
        }
    }

    @Test
    void connectionCloseAnswersAreNotReused() throws Exception {
        try (RawBackend backend = new RawBackend((c, n, body, out, s) -> {
            RawBackend.answer(out, "Connection: close\r\n", "{}");
            s.close();
        })) {
            BackendOrigin origin = origin(backend);
            for (int i = 0; i < 3; i++) {
                assertEquals(200, post(origin, "{}").status());
            }
            assertEquals(3, origin.connectionsOpened());
        }
    }

    @Test
    void aKeptAliveConnectionTheBackendDroppedIsRetriedOnceOnAFreshOne() throws Exception {
        // Each connection answers its first request, then closes without answering the second: what a
        // backend closing idle connections looks like when the close crosses the next request.
        java.util.concurrent.atomic.AtomicInteger dropped = new java.util.concurrent.atomic.AtomicInteger();
        try (RawBackend backend = new RawBackend((c, n, body, out, s) -> {
            if (n == 0) {
                RawBackend.answer(out, "", "{\"connection\":" + c + "}");
            } else {
                dropped.incrementAndGet();
                s.close();
            }
        })) {
            // one loop, so that the second call is offered the first call's connection
            BackendOrigin origin = new BackendClient(loops.next(), NioSocketChannel.class)
                    .origin(URI.create("http://127.0.0.1:" + backend.port() + "/"), Duration.ofSeconds(2), 8);
            assertEquals("{\"connection\":0}", new String(post(origin, "{}").body(), StandardCharsets.UTF_8));
            assertEquals("{\"connection\":1}", new String(post(origin, "{}").body(), StandardCharsets.UTF_8));
            assertEquals(2, origin.connectionsOpened());
            assertEquals(1, dropped.get(), "the second call went first to the kept-alive connection");
        }
    }

    @Test
    void aBackendThatNeverAnswersTimesOutAndLosesTheConnection() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        try (RawBackend backend = new RawBackend((c, n, body, out, s) -> {
            if (s.getInputStream().read() < 0) { // waits for the client to give up
                closed.countDown();
            }
            s.close();
        })) {
            CallFailure f = failure(origin(backend).post(request("{}", Duration.ofMillis(200), 1024)));
            assertEquals(CallFailure.Kind.TIMEOUT, f.kind());
            assertTrue(closed.await(10, TimeUnit.SECONDS), "the client closed the connection");
        }
    }

    @Test
    void anAnswerPastTheLimitFailsWhetherItsLengthIsDeclaredOrChunked() throws Exception {
        String big = "x".repeat(2000);
        try (RawBackend backend = new RawBackend((c, n, body, out, s) -> {
            if (c == 0) {
                RawBackend.answer(out, "", big);
            } else {
                out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3e8\r\n" + big.substring(0, 1000) + "\r\n3e8\r\n" + big.substring(1000) + "\r\n0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        })) {
            BackendOrigin origin = origin(backend);
            assertEquals(CallFailure.Kind.TOO_LARGE, failure(origin.post(request("{}", Duration.ofSeconds(5), 1024))).kind());
            assertEquals(CallFailure.Kind.TOO_LARGE, failure(origin.post(request("{}", Duration.ofSeconds(5), 1024))).kind());
        }
    }

    @Test
    void garbageInsteadOfHttpIsABadAnswer() throws Exception {
        try (RawBackend backend = new RawBackend((c, n, body, out, s) -> {
            out.write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        })) {
            assertEquals(CallFailure.Kind.BAD_ANSWER, failure(origin(backend).post(request("{}", Duration.ofSeconds(5), 1024))).kind());
        }
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        BackendOrigin origin = client.origin(URI.create("http://127.0.0.1:" + port + "/"), Duration.ofSeconds(2), 8);
        assertEquals(CallFailure.Kind.UNREACHABLE, failure(origin.post(request("{}", Duration.ofSeconds(5), 1024))).kind());
    }

    @Test
    void aStreamedAnswerArrivesPieceByPieceAndClosingItAbortsTheExchange() throws Exception {
        CountDownLatch secondPieceSent = new CountDownLatch(1);
        CountDownLatch backendSawClose = new CountDownLatch(1);
        byte[] piece = "y".repeat(100_000).getBytes(StandardCharsets.US_ASCII); // past the high-water mark
        try (RawBackend backend = new RawBackend((c, n, body, out, s) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.write("6\r\n{\"a\":1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                for (int i = 0; i < 1000; i++) { // until the client closes: bounded, and the client stops reading
                    out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(piece);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    secondPieceSent.countDown();
                }
            } catch (java.io.IOException e) {
                backendSawClose.countDown();
            }
            s.close();
        })) {
            StreamedAnswer answer = origin(backend).open(request("{}", Duration.ofSeconds(5), 1024), type -> true).get(10, TimeUnit.SECONDS);
            assertEquals(200, answer.status());
            assertEquals("application/x-ndjson", answer.contentType());
            InputStream body = answer.body();
            assertEquals("{\"a\":1", new String(body.readNBytes(6), StandardCharsets.US_ASCII));
            assertTrue(secondPieceSent.await(10, TimeUnit.SECONDS));
            assertEquals('y', body.read());
            body.close();
            assertTrue(backendSawClose.await(10, TimeUnit.SECONDS), "the backend saw its connection close");
        }
    }

    @Test
    void aStreamedAnswerIsReadToItsEndAndItsConnectionReused() throws Exception {
        try (RawBackend backend = new RawBackend((c, n, body, out, s) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "9\r\ndata: 1\n\n\r\n9\r\ndata: 2\n\n\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        })) {
            BackendOrigin origin = origin(backend);
            for (int i = 0; i < 6; i++) {
                StreamedAnswer a = origin.open(request("{}", Duration.ofSeconds(5), 1024), type -> true).get(10, TimeUnit.SECONDS);
                try (InputStream in = a.body()) {
                    assertEquals("data: 1\n\ndata: 2\n\n", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
                }
            }
            assertTrue(origin.connectionsOpened() <= LOOPS, "opened " + origin.connectionsOpened());
        }
    }

    @Test
    void anAnswerTheCallerDoesNotStreamArrivesWholeWithinTheLimit() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        try (RawBackend backend = new RawBackend((c, n, body, out, s) ->
                RawBackend.answer(out, "", calls.getAndIncrement() == 0 ? "{\"ok\":1}" : "x".repeat(2000)))) {
            BackendOrigin origin = client.origin(URI.create("http://127.0.0.1:" + backend.port() + "/"), Duration.ofSeconds(2), 8);
            StreamedAnswer a = origin.open(request("{}", Duration.ofSeconds(5), 1024), type -> false).get(10, TimeUnit.SECONDS);
            assertInstanceOf(java.io.ByteArrayInputStream.class, a.body(), "complete before it was handed over");
            assertEquals("{\"ok\":1}", new String(a.body().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(CallFailure.Kind.TOO_LARGE,
                    failure(origin.open(request("{}", Duration.ofSeconds(5), 1024), type -> false)).kind());
        }
    }
}
