package dev.switchboard.server.internal.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.engine.EngineUnavailableException;
import dev.switchboard.server.internal.transport.HttpResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps outcomes of API calls to HTTP results: the one place that decides status codes for errors. */
public final class Responses {

    private static final Logger log = LoggerFactory.getLogger(Responses.class);

    private Responses() {
    }

    /** 200 with the mapped value, or the error's status. */
    public static <T> CompletableFuture<HttpResult> ok(CompletionStage<T> stage, Function<T, Object> body) {
        return stage.handle((value, failure) -> failure == null
                ? HttpResult.json(200, body.apply(value))
                : failure(failure)).toCompletableFuture();
    }

    public static HttpResult failure(Throwable failure) {
        Failure f = describe(failure);
        return HttpResult.error(f.status(), f.code(), f.message());
    }

    /** {@code {"code","message"}} of a failure, as {@link #failure} would answer it (one item of a batch). */
    public static ObjectNode errorBody(Throwable failure) {
        Failure f = describe(failure);
        return Json.object().put("code", f.code()).put("message", f.message());
    }

    private record Failure(int status, String code, String message) {
    }

    private static Failure describe(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ProtocolException pe) {
            int status = switch (pe.code()) {
                case "forbidden" -> 403;
                case "not_found" -> 404;
                case "too_large" -> 413;
                case "unavailable" -> 503;
                default -> 400;
            };
            return new Failure(status, pe.code(), pe.getMessage());
        }
        if (t instanceof EngineUnavailableException) {
            return new Failure(503, ErrorCode.UNAVAILABLE.code(), "engine unavailable, retry later");
        }
        log.error("API call failed", t);
        return new Failure(500, ErrorCode.INTERNAL.code(), "internal error");
    }
}
