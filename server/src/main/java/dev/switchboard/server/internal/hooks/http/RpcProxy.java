package dev.switchboard.server.internal.hooks.http;

import dev.switchboard.server.internal.outbound.CallFailure;

import dev.switchboard.server.internal.outbound.ServerSentEvents;

import dev.switchboard.server.internal.outbound.CancellableExchange;

import dev.switchboard.server.internal.outbound.BoundedLines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Envelope;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.app.HandlerContext;
import dev.switchboard.server.app.MessageHandler;
import java.io.IOException;
import java.io.InputStream;
import dev.switchboard.server.internal.outbound.client.StreamedAnswer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

/**
 * The RPC hook: a message type without an in-process handler is POSTed to the backend, and its answer is the
 * reply. A JSON answer {@code {"data": …}} is one reply ({@code {"error": {code, message}}} an error frame);
 * an {@code application/x-ndjson} or {@code text/event-stream} answer is a stream, each line or event one
 * {@code chunk}, the end of the body the {@code end}. A client {@code cancel} or disconnect aborts the HTTP
 * exchange, so the backend sees its connection close. Runs on the connection's virtual thread: the exchange
 * itself runs on the event loops ({@link HookEndpoint}), and waiting for the body blocks that thread only.
 */
public final class RpcProxy implements MessageHandler {

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
    public void handle(HandlerContext ctx, Envelope msg) throws Exception {
        ObjectNode body = HttpHooks.about(ctx.connectionId(), ctx.user(), ctx.endpoint(), ctx.claims());
        body.put("type", msg.type());
        body.put("id", msg.id());
        body.set("data", msg.data());
        long start = System.nanoTime();
        StreamedAnswer response;
        try {
            response = CancellableExchange.await(ctx, endpoint.open(body, idleTimeout, RpcProxy::streamed),
                    StreamedAnswer::body);
        } catch (ExecutionException e) {
            throw HookEndpoint.classify(e.getCause()).toProtocol();
        }
        if (response == null) {
            endpoint.release(start, null); // cancelled: the client was told already
            return;
        }
        CallFailure failure = null;
        try (InputStream in = response.body()) {
            answer(ctx, response, in);
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

    private void answer(HandlerContext ctx, StreamedAnswer response, InputStream in) throws IOException {
        String type = response.contentType();
        if (response.status() != 200) {
            throw new CallFailure(CallFailure.Kind.STATUS, "rpc hook answered HTTP " + response.status());
        }
        BoundedLines lines = new BoundedLines(in, endpoint.maxBody());
        if (type.startsWith("application/x-ndjson")) {
            for (String line; (line = lines.next()) != null && !ctx.isCancelled(); ) {
                if (!line.isBlank()) {
                    ctx.chunk(parse(line));
                }
            }
            ctx.end();
        } else if (type.startsWith("text/event-stream")) {
            ServerSentEvents.read(lines, (event, data) -> {
                if ("error".equals(event)) {
                    JsonNode error = parse(data);
                    throw HookAnswers.refusal(error, ProtocolException::new);
                }
                ctx.chunk(parseOrText(data));
                return !ctx.isCancelled();
            });
            ctx.end();
        } else {
            // Not a stream: the client gathered it whole, within --hook-max-body, before handing it over.
            JsonNode json = parseBytes(in.readAllBytes());
            if (!json.isObject()) {
                throw HookAnswers.bad("rpc answer must be a JSON object {\"data\": …} or {\"error\": …}");
            }
            if (json.has("error")) {
                throw HookAnswers.refusal(json.get("error"), ProtocolException::new);
            }
            if (!json.has("data")) {
                throw HookAnswers.bad("rpc answer has neither \"data\" nor \"error\"");
            }
            ctx.reply(json.get("data"));
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
