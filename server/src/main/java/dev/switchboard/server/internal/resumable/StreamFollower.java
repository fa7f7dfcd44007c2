package dev.switchboard.server.internal.resumable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.MessageTypes;
import dev.switchboard.server.internal.handlers.BuiltinContext;
import dev.switchboard.server.streams.LiveRead;
import dev.switchboard.server.streams.StreamAppend;
import dev.switchboard.server.streams.StreamChunk;
import dev.switchboard.server.streams.StreamMessage;
import dev.switchboard.server.streams.StreamState;
import dev.switchboard.server.streams.StreamGapException;
import dev.switchboard.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code resume} request: a stream followed from an offset and sent to the connection as the answer of
 * that request. A resumable reply's messages come back as the frames they were ({@code chunk}, then the
 * final {@code end}, {@code error} or {@code reply}); any other Durable Stream's messages as {@code chunk}s
 * (a JSON value each, text as a string, other bytes in base64), and its close as {@code end}. Every frame
 * carries the offset after it. While a reply's stream is open and quiet, the follower checks that its
 * producing node is still there; if it is not, it ends the stream for every reader with {@code producer_lost}.
 * A {@code cancel} of the resume request ends the reply itself (its producer stops, wherever it runs).
 */
final class StreamFollower implements LiveRead.Reader {

    private final ResumableReplies replies;
    private final BuiltinContext ctx;
    private final String re;
    private final String path;
    private final boolean reply;
    private final LiveRead read;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile String producerNode;
    private ScheduledFuture<?> liveness;

    StreamFollower(ResumableReplies replies, BuiltinContext ctx, String re, String path, long position) {
        this.replies = replies;
        this.ctx = ctx;
        this.re = re;
        this.path = path;
        this.reply = ReplyLog.isReply(path);
        this.read = new LiveRead(replies.store(), path, position, this);
    }

    void start() {
        ctx.defer();
        ctx.onCancel(this::cancelled);
        read.start();
        if (reply) {
            liveness = replies.timers().scheduleWithFixedDelay(this::checkProducer, replies.livenessInterval().toMillis(),
                    replies.livenessInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean chunk(StreamChunk chunk) {
        StreamState state = chunk.state();
        if (reply && producerNode == null && state.tail() > 0) {
            // the start message is the first one: a resume from its end never sees it
            replies.producerOf(path).thenAccept(node -> producerNode = node);
        }
        for (StreamMessage m : chunk.messages()) {
            if (!send(state, m)) {
                finish();
                return false;
            }
        }
        if (state.closed() && read.position() >= state.tail()) {
            ctx.answer(ReplyLog.located(ReplyLog.end(null), path, state.tail()).put("re", re));
            finish();
            return false;
        }
        return true;
    }

    /** One message as frames; false when it was the last frame of a reply. */
    private boolean send(StreamState state, StreamMessage m) {
        if (!state.spec().json()) {
            ObjectNode frame = Json.object().put("type", MessageTypes.CHUNK).put("re", re);
            if (state.spec().textual()) {
                frame.put("data", new String(m.data(), StandardCharsets.UTF_8));
            } else {
                frame.put("data", Base64.getEncoder().encodeToString(m.data())).put("encoding", "base64");
            }
            ctx.stream(ReplyLog.located(frame, path, m.end()));
            return true;
        }
        JsonNode values = Json.parse(("[" + new String(m.data(), StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8));
        for (JsonNode value : values) {
            if (reply && ReplyLog.START.equals(value.path("type").asText())) {
                producerNode = value.path("node").asText(null);
                continue;
            }
            if (!reply) {
                ObjectNode frame = Json.object().put("type", MessageTypes.CHUNK).put("re", re);
                frame.set("data", value);
                ctx.stream(ReplyLog.located(frame, path, m.end()));
                continue;
            }
            ObjectNode frame = ReplyLog.frame(value, re, path, m.end());
            if (ReplyLog.terminal(value)) {
                ctx.answer(frame);
                return false;
            }
            ctx.stream(frame);
        }
        return true;
    }

    @Override
    public void ended(Throwable failure) {
        if (!done.get()) {
            if (failure instanceof StreamGapException gap) {
                ctx.error(ErrorCode.NOT_FOUND.code(), gap.getMessage());
            } else {
                ctx.error(failure != null ? ErrorCode.UNAVAILABLE.code() : ErrorCode.NOT_FOUND.code(), failure != null
                        ? "the stream's storage is unavailable" : "the stream was deleted or expired");
            }
        }
        finish();
    }

    /** The resume request was cancelled: by the client (the reply ends for everyone) or by its disconnect. */
    private void cancelled() {
        if (!done.get() && reply && ctx.connection().isOpen()) {
            replies.store().append(path, new StreamAppend(Json.bytes(ReplyLog.end("cancelled")), ReplyLog.CONTENT_TYPE,
                    null, null, true));
        }
        finish();
    }

    /** While the reply is open: is its producer's node still there? If not, the reply ends as lost. */
    private void checkProducer() {
        String node = producerNode;
        if (done.get() || node == null) {
            return;
        }
        replies.producerAlive(node, path).thenAccept(alive -> {
            if (!alive && !done.get()) {
                replies.store().append(path, new StreamAppend(Json.bytes(ReplyLog.end("producer_lost")),
                        ReplyLog.CONTENT_TYPE, null, null, true));
            }
        });
    }

    private void finish() {
        if (done.compareAndSet(false, true)) {
            read.stop();
            if (liveness != null) {
                liveness.cancel(false);
            }
        }
    }
}
