package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * A request waiting for its answer, keyed by its id in the client. It remembers the connection it went out on
 * ({@code null} while it waits for one), because only that connection can answer it.
 */
final class Pending {

    /** What to do with the frames correlated to one request. Called on the socket's reader thread. */
    interface Sink {
        /** A {@code reply}: the final answer. */
        void onReply(JsonNode data);

        /** A {@code chunk} of a streamed answer. */
        default void onChunk(JsonNode data) {
        }

        /** The {@code end} of a streamed answer ({@code reason} is {@code null} or e.g. {@code cancelled}). */
        default void onEnd(String reason) {
        }

        /** An {@code error} frame, or a client-side failure (timeout, disconnect, close). */
        void onError(SwitchboardException error);

        /** A resumable reply's position: its stream and the offset after the last frame. */
        default void onLocated(String stream, String offset) {
        }

        /** A resumable reply went on under a new request id (a {@code resume} after a reconnect). */
        default void onResumed(String id) {
        }

        /** Completes {@code reply} with the answer of a plain (not streamed) request of {@code type}. */
        static Sink into(CompletableFuture<JsonNode> reply, String type) {
            return new Sink() {
                @Override
                public void onReply(JsonNode data) {
                    reply.complete(data);
                }

                @Override
                public void onEnd(String reason) {
                    // a streaming handler answered a plain request: there is no single reply to give
                    reply.completeExceptionally(new SwitchboardException("bad_reply",
                            "the server streamed the answer; use stream() for " + type));
                }

                @Override
                public void onError(SwitchboardException error) {
                    reply.completeExceptionally(error);
                }
            };
        }
    }

    final String id;
    final String frame;
    final Sink sink;
    /** A resumable reply (or a resume): it survives a disconnect once its stream is known. */
    final boolean resumable;
    volatile String stream;
    volatile String offset;
    /** Guarded by the client's lock. */
    Connection sentOn;
    volatile ScheduledFuture<?> timeout;

    Pending(String id, String frame, Sink sink) {
        this(id, frame, sink, false);
    }

    Pending(String id, String frame, Sink sink, boolean resumable) {
        this.id = id;
        this.frame = frame;
        this.sink = sink;
        this.resumable = resumable;
    }

    /** The frame's stream position, when it carries one. */
    void locate(JsonNode frame) {
        if (frame.hasNonNull("stream")) {
            stream = frame.get("stream").asText();
        }
        if (frame.hasNonNull("offset") && frame.get("offset").isTextual()) {
            offset = frame.get("offset").asText();
        }
        if (resumable && stream != null) {
            sink.onLocated(stream, offset);
        }
    }

    /** This resumable reply continued as {@code resume} under {@code newId}, from its last offset. */
    Pending resumedAs(String newId) {
        Pending next = new Pending(newId, Wire.envelope(newId, "resume", java.util.Map.of("stream", stream,
                "offset", offset == null ? "-1" : offset)), sink, true);
        next.stream = stream;
        next.offset = offset;
        sink.onResumed(newId);
        return next;
    }

    void cancelTimeout() {
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }
}
