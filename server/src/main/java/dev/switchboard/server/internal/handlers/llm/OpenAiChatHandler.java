package dev.switchboard.server.internal.handlers.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Envelope;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.internal.outbound.BoundedLines;
import dev.switchboard.server.internal.outbound.CancellableExchange;
import dev.switchboard.server.internal.outbound.ServerSentEvents;
import dev.switchboard.server.app.HandlerContext;
import dev.switchboard.server.app.MessageHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code llm.chat}: proxies an OpenAI-compatible chat-completions API with {@code stream: true}. The client
 * sends {@code {"messages": [{role, content}], "temperature"?, "max_tokens"?}} (or just {@code {"prompt"}});
 * each {@code choices[0].delta.content} becomes a chunk {@code {"text": …}}, and the last chunk carries
 * {@code {"finishReason", "usage"}}. {@code cancel} closes the upstream connection (the provider stops
 * generating, and billing). Upstream errors map to error frames: 401/403 {@code upstream_unauthorized},
 * 429 {@code rate_limited}, 5xx and time-outs {@code unavailable}, anything else {@code upstream_error}.
 */
public final class OpenAiChatHandler implements MessageHandler {

    private static final Logger log = LoggerFactory.getLogger(OpenAiChatHandler.class);

    private final URI completions;
    private final String apiKey;
    private final String model;
    private final Duration timeout;
    private final int maxLine;
    private final HttpClient http;

    /**
     * @param upstream the API's base URL, e.g. {@code https://api.openai.com/v1} ({@code /chat/completions} is added)
     * @param timeout  how long the upstream may take to start answering
     * @param maxLine  the longest streamed line accepted
     */
    public OpenAiChatHandler(URI upstream, String apiKey, String model, Duration timeout, int maxLine) {
        String base = upstream.toString();
        this.completions = URI.create((base.endsWith("/") ? base : base + "/") + "chat/completions");
        this.apiKey = apiKey;
        this.model = model;
        this.timeout = timeout;
        this.maxLine = Math.max(maxLine, 64 * 1024);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    @Override
    public void handle(HandlerContext ctx, Envelope msg) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(completions).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body(msg.data(), ctx.user()))));
        if (apiKey != null && !apiKey.isEmpty()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<InputStream> response;
        try {
            response = CancellableExchange.await(ctx, http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            log.warn("llm upstream {} failed: {}", completions, cause.toString());
            throw new ProtocolException(ErrorCode.UNAVAILABLE, cause instanceof HttpTimeoutException
                    ? "the model did not answer in time" : "the model is unreachable");
        }
        if (response == null) {
            return; // cancelled
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw upstreamError(response.statusCode(), in.readNBytes(maxLine));
            }
            stream(ctx, new BoundedLines(in, maxLine));
        } catch (IOException e) {
            if (!ctx.isCancelled()) {
                throw new ProtocolException(ErrorCode.UNAVAILABLE, "the model's stream broke off");
            }
        }
    }

    private static void stream(HandlerContext ctx, BoundedLines lines) throws IOException {
        String[] finish = {null};
        JsonNode[] usage = {null};
        ServerSentEvents.read(lines, (event, data) -> {
            if (data.equals("[DONE]")) {
                return false;
            }
            JsonNode chunk;
            try {
                chunk = Json.parse(data);
            } catch (RuntimeException e) {
                return true; // not JSON: nothing a chat stream sends; skip it
            }
            if (chunk.has("error")) {
                throw new ProtocolException("upstream_error", chunk.path("error").path("message").asText("model error"));
            }
            JsonNode choice = chunk.path("choices").path(0);
            String text = choice.path("delta").path("content").asText("");
            if (!text.isEmpty()) {
                ObjectNode out = Json.object();
                out.put("text", text);
                ctx.chunk(out);
            }
            if (choice.hasNonNull("finish_reason")) {
                finish[0] = choice.get("finish_reason").asText();
            }
            if (chunk.hasNonNull("usage")) {
                usage[0] = chunk.get("usage");
            }
            return !ctx.isCancelled();
        });
        if (ctx.isCancelled()) {
            return;
        }
        ObjectNode last = Json.object();
        last.put("finishReason", finish[0]);
        last.set("usage", usage[0]);
        ctx.chunk(last);
        ctx.end();
    }

    private ObjectNode body(JsonNode data, String user) {
        ObjectNode body = Json.object();
        body.put("model", model);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        JsonNode messages = data.get("messages");
        if (messages != null && messages.isArray() && !messages.isEmpty()) {
            for (JsonNode m : messages) {
                if (!m.isObject() || !m.path("role").isTextual() || !m.path("content").isTextual()) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, "data.messages must be [{role, content}] with strings");
                }
            }
            body.set("messages", messages);
        } else if (data.path("prompt").isTextual()) {
            ArrayNode list = body.putArray("messages");
            list.addObject().put("role", "user").put("content", data.get("prompt").asText());
        } else {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "data.messages (or data.prompt) is required");
        }
        if (data.path("temperature").isNumber()) {
            body.set("temperature", data.get("temperature"));
        }
        if (data.path("max_tokens").isIntegralNumber()) {
            body.set("max_tokens", data.get("max_tokens"));
        }
        if (user != null) {
            body.put("user", user); // lets the provider attribute abuse to an end user
        }
        return body;
    }

    private ProtocolException upstreamError(int status, byte[] body) {
        String message;
        try {
            message = Json.parse(body).path("error").path("message").asText("");
        } catch (RuntimeException e) {
            message = "";
        }
        if (message.isEmpty()) {
            message = "the model answered HTTP " + status;
        }
        log.warn("llm upstream {} answered {}: {}", completions, status, message);
        if (status == 401 || status == 403) {
            return new ProtocolException("upstream_unauthorized", message);
        }
        if (status == 429) {
            return new ProtocolException(ErrorCode.RATE_LIMITED, message);
        }
        if (status >= 500) {
            return new ProtocolException(ErrorCode.UNAVAILABLE, message);
        }
        return new ProtocolException("upstream_error", message);
    }
}
