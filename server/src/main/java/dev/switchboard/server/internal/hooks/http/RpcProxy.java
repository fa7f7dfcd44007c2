package dev.switchboard.server.internal.hooks.http;

import dev.switchboard.server.internal.outbound.CallFailure;

import dev.switchboard.server.internal.outbound.ServerSentEvents;

import dev.switchboard.server.internal.outbound.CancellableExchange;

import dev.switchboard.server.internal.outbound.BoundedLines;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Envelope;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.RawJson;
import java.util.Map;
import dev.switchboard.server.app.HandlerContext;
import dev.switchboard.server.app.AsyncMessageHandler;
import java.io.IOException;
import java.io.InputStream;
import dev.switchboard.server.internal.outbound.client.StreamedAnswer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The RPC hook: a message type without an in-process handler is POSTed to the backend, and its answer is the
 * reply. A JSON answer {@code {"data": …}} is one reply ({@code {"error": {code, message}}} an error frame);
 * an {@code application/x-ndjson} or {@code text/event-stream} answer is a stream, each line or event one
 * {@code chunk}, the end of the body the {@code end}. A client {@code cancel} or disconnect aborts the HTTP
 * exchange, so the backend sees its connection close.
 *
 * <p>No thread waits for the backend: the call starts on the connection's event loop (an
 * {@link AsyncMessageHandler}, which keeps the connection's handlers one at a time) and a whole answer is
 * turned into the reply on the event loop it arrives on. Only a streamed answer is read on a virtual thread,
 * which holds the connection's handler slot until the stream ends.
 */
public final class RpcProxy implements AsyncMessageHandler {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final HookEndpoint endpoint;
    private final Duration idleTimeout;

    /**
     * @param idleTimeout how long the answer may take to start (a started stream runs until the backend ends
     *                    it or the client cancels or leaves)
     */
    public RpcProxy(HookEndpoint endpoint, Duration idleTimeout) {
        this.endpoint = endpoint;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public CompletionStage<?> start(HandlerContext ctx, Envelope msg) {
        RpcCall body = new RpcCall(ctx.connectionId(), ctx.user(), ctx.endpoint(), ctx.claims(), msg.type(), msg.id(),
                msg.data());
        long start = System.nanoTime();
        CompletableFuture<StreamedAnswer> pending = endpoint.open(body, idleTimeout, RpcProxy::streamed);
        ctx.onCancel(() -> pending.cancel(true));
        return pending.handle((response, failure) -> {
            if (failure != null) {
                if (ctx.isCancelled()) {
                    return DONE; // the client was told already
                }
                throw HookEndpoint.classify(failure).toProtocol();
            }
            if (ctx.isCancelled()) {
                CancellableExchange.closeQuietly(response.body());
                endpoint.release(start, null);
                return DONE;
            }
            if (response.status() == 200 && streamed(response.contentType())) {
                ctx.onCancel(() -> CancellableExchange.closeQuietly(response.body()));
                return CompletableFuture.runAsync(() -> stream(ctx, response, start), STREAM_READERS);
            }
            CallFailure f = null;
            try {
                whole(ctx, response);
            } catch (CallFailure e) {
                f = e;
            } finally {
                CancellableExchange.closeQuietly(response.body());
                endpoint.release(start, f);
            }
            if (f != null) {
                throw f.toProtocol();
            }
            return DONE;
        }).thenCompose(stage -> stage);
    }

    /** Reads a streamed answer on a virtual thread of its own: a thread only while a stream runs. */
    private static final java.util.concurrent.Executor STREAM_READERS =
            task -> Thread.ofVirtual().name("rpc-stream").start(task);

    /**
     * A non-streamed answer (whole already, or an error status): the reply, or the failure. The answer is read
     * as raw fields, not a tree: its {@code data} goes into the reply frame as the backend wrote it.
     */
    private void whole(HandlerContext ctx, StreamedAnswer response) {
        if (response.status() != 200) {
            throw new CallFailure(CallFailure.Kind.STATUS, "rpc hook answered HTTP " + response.status());
        }
        Map<String, RawJson> answer;
        try {
            answer = RawJson.fields(response.body().readAllBytes());
        } catch (IOException e) {
            throw new CallFailure(CallFailure.Kind.BAD_ANSWER, "rpc hook answer could not be read");
        } catch (ProtocolException e) { // not JSON, or not an object
            throw HookAnswers.bad("rpc answer must be a JSON object {\"data\": …} or {\"error\": …}: " + e.getMessage());
        }
        RawJson error = answer.get("error");
        if (error != null) {
            throw HookAnswers.refusal(error.tree(), ProtocolException::new);
        }
        RawJson data = answer.get("data");
        if (data == null) {
            throw HookAnswers.bad("rpc answer has neither \"data\" nor \"error\"");
        }
        ctx.reply(data);
    }

    /** A streamed answer, chunk by chunk, until its end, the client's cancel, or a failure. */
    private void stream(HandlerContext ctx, StreamedAnswer response, long start) {
        CallFailure failure = null;
        try (InputStream in = response.body()) {
            BoundedLines lines = new BoundedLines(in, endpoint.maxBody());
            if (response.contentType().startsWith("application/x-ndjson")) {
                for (String line; (line = lines.next()) != null && !ctx.isCancelled(); ) {
                    if (!line.isBlank()) {
                        ctx.chunk(parse(line));
                    }
                }
            } else {
                ServerSentEvents.read(lines, (event, data) -> {
                    if ("error".equals(event)) {
                        JsonNode error = parse(data);
                        throw HookAnswers.refusal(error, ProtocolException::new);
                    }
                    ctx.chunk(parseOrText(data));
                    return !ctx.isCancelled();
                });
            }
            if (!ctx.isCancelled()) {
                ctx.end();
            }
        } catch (CallFailure f) {
            failure = f;
        } catch (IOException e) {
            if (!ctx.isCancelled()) {
                failure = new CallFailure(CallFailure.Kind.UNREACHABLE, "rpc hook answer broke off: " + e.getMessage());
            }
        } finally {
            endpoint.release(start, failure);
        }
        if (failure != null) {
            throw failure.toProtocol();
        }
    }

    /** The content types read as streams; any other answer arrives whole. */
    private static boolean streamed(String contentType) {
        return contentType.startsWith("application/x-ndjson") || contentType.startsWith("text/event-stream");
    }

    private static JsonNode parse(String text) {
        return parseBytes(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static JsonNode parseBytes(byte[] bytes) {
        try {
            return Json.parse(bytes);
        } catch (RuntimeException e) {
            throw new CallFailure(CallFailure.Kind.BAD_ANSWER, "rpc hook answered invalid JSON");
        }
    }

    /** SSE data is often plain text (a token): JSON when it parses, else the text itself. */
    private static JsonNode parseOrText(String data) {
        try {
            return Json.parse(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return Json.MAPPER.getNodeFactory().textNode(data);
        }
    }

}
