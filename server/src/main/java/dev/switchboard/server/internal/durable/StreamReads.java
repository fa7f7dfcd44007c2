package dev.switchboard.server.internal.durable;

import dev.switchboard.server.internal.durable.StreamAnswers.BadRequest;
import dev.switchboard.server.internal.transport.HttpRequestData;
import dev.switchboard.server.internal.transport.HttpResponder;
import dev.switchboard.server.internal.transport.HttpResult;
import dev.switchboard.server.streams.JsonBatches;
import dev.switchboard.server.streams.StreamChunk;
import dev.switchboard.server.streams.StreamMessage;
import dev.switchboard.server.streams.StreamOffsets;
import dev.switchboard.server.streams.StreamState;
import dev.switchboard.server.streams.StreamStore;
import dev.switchboard.server.streams.StreamTails;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The read side: {@code HEAD} (metadata), {@code GET} catch-up (a chunk of messages from an offset, with ETags
 * and {@code 304}s), and long-poll (wait for the next append, a close or the timeout). SSE is
 * {@link StreamEventSource}. An offset is {@code -1} (the start), {@code now} (the tail) or one this gateway
 * minted; anything else is refused.
 */
final class StreamReads {

    /** A read's starting point: where, and the offset text the client sent (for the ETag). */
    record Start(long position, String given, boolean now) {
    }

    private final StreamStore store;
    private final StreamCursors cursors;
    private final ScheduledExecutorService timers;
    private final Duration longPollTimeout;

    StreamReads(StreamStore store, StreamCursors cursors, ScheduledExecutorService timers, Duration longPollTimeout) {
        this.store = store;
        this.cursors = cursors;
        this.timers = timers;
        this.longPollTimeout = longPollTimeout;
    }

    /** {@code HEAD}: the stream's metadata, never cached. */
    static HttpResult head(StreamState state) {
        Map<String, String> headers = StreamHeaders.common();
        headers.put(StreamHeaders.NEXT_OFFSET, state.tailOffset());
        headers.put("Cache-Control", "no-store");
        if (state.closed()) {
            headers.put(StreamHeaders.CLOSED, "true");
        }
        if (state.spec().ttlSeconds() != null) {
            headers.put(StreamHeaders.TTL, state.spec().ttlSeconds().toString());
        }
        if (state.spec().expiresAt() != null) {
            headers.put(StreamHeaders.EXPIRES_AT, state.spec().expiresAt());
        }
        headers.put("ETag", etag(state.path(), "-1", state.tailOffset(), state.closed()));
        return StreamAnswers.empty(200, state.spec().contentType(), headers);
    }

    /** The read's start from its query: one {@code offset} at most, and one of ours or a sentinel. */
    static Start start(HttpRequestData request, StreamState state) throws BadRequest {
        List<String> offsets = request.query().get("offset");
        if (offsets == null || offsets.isEmpty()) {
            return new Start(StreamOffsets.START, null, false);
        }
        if (offsets.size() > 1) {
            throw new BadRequest("Multiple offset parameters are not allowed");
        }
        String offset = offsets.get(0);
        switch (offset) {
            case "-1" -> {
                return new Start(StreamOffsets.START, offset, false);
            }
            case "now" -> {
                return new Start(state.tail(), offset, true);
            }
            default -> {
                long position = StreamOffsets.parse(offset);
                if (position < 0) {
                    throw new BadRequest("Invalid offset: -1, now, or an offset this server returned");
                }
                return new Start(position, offset, false);
            }
        }
    }

    /** {@code GET} without {@code live}, or with {@code live=long-poll}. */
    void get(String path, HttpRequestData request, StreamState state, Start start, boolean longPoll,
             HttpResponder out) {
        String cursor = request.queryParam("cursor");
        if (start.now() && !longPoll) {
            // the tail, and nothing else; a read all the same (it renews a sliding TTL)
            store.state(path, true).whenComplete((now, e) -> out.answer(e != null ? failure(e)
                    : now == null ? StreamAnswers.text(404, "Stream not found") : tail(now)));
            return;
        }
        store.read(path, start.position()).whenComplete((chunk, e) -> {
            if (e != null || chunk == null || chunk.state().softDeleted()) {
                out.answer(e != null ? failure(e) : chunk == null ? StreamAnswers.text(404, "Stream not found")
                        : StreamAnswers.text(410, "Stream is gone"));
                return;
            }
            if (start.position() > chunk.state().tail()) {
                out.answer(StreamAnswers.text(410, "Offset past the stream's tail: data was lost, or the offset is"
                        + " not this stream's"));
                return;
            }
            boolean caughtUp = start.now() || start.position() == chunk.state().tail();
            if (!longPoll || !chunk.messages().isEmpty() || !caughtUp) {
                out.answer(data(path, start, chunk, longPoll ? cursors.next(cursor) : null, request));
            } else if (chunk.state().closed()) {
                out.answer(timedOut(chunk.state().tail(), true, null));
            } else {
                new LongPoll(path, start, cursor, request, out).begin();
            }
        });
    }

    /** {@code offset=now} without waiting: the tail and no data ({@code []} for JSON). */
    private static HttpResult tail(StreamState state) {
        Map<String, String> headers = StreamHeaders.common();
        headers.put(StreamHeaders.NEXT_OFFSET, state.tailOffset());
        headers.put(StreamHeaders.UP_TO_DATE, "true");
        headers.put("Cache-Control", "no-store");
        if (state.closed()) {
            headers.put(StreamHeaders.CLOSED, "true");
        }
        byte[] body = state.spec().json() ? "[]".getBytes(StandardCharsets.US_ASCII) : new byte[0];
        return StreamAnswers.body(200, state.spec().contentType(), body, headers);
    }

    /** A chunk of data (possibly empty), with its offset, freshness, closure, ETag and caching. */
    private static HttpResult data(String path, Start start, StreamChunk chunk, String cursor, HttpRequestData request) {
        StreamState state = chunk.state();
        long next = chunk.next();
        boolean closedHere = state.closed() && chunk.upToDate() && next == state.tail();
        Map<String, String> headers = StreamHeaders.common();
        String nextOffset = StreamOffsets.format(next);
        headers.put(StreamHeaders.NEXT_OFFSET, nextOffset);
        if (cursor != null) {
            headers.put(StreamHeaders.CURSOR, cursor);
        }
        if (chunk.upToDate()) {
            headers.put(StreamHeaders.UP_TO_DATE, "true");
        }
        if (closedHere) {
            headers.put(StreamHeaders.CLOSED, "true");
        }
        String etag = etag(path, start.given() == null ? "-1" : start.given(), nextOffset, closedHere);
        headers.put("ETag", etag);
        // data never changes once written: a chunk may be cached (privately: reads are authorized); an empty
        // answer at the tail must not be, or a cache would hide what comes next
        headers.put("Cache-Control", chunk.messages().isEmpty() ? "no-store" : "private, max-age=60, stale-while-revalidate=300");
        if (etag.equals(request.header("If-None-Match"))) {
            return StreamAnswers.empty(304, null, headers);
        }
        return StreamAnswers.body(200, state.spec().contentType(), body(state, chunk.messages()), headers);
    }

    static byte[] body(StreamState state, List<StreamMessage> messages) {
        if (state.spec().json()) {
            return JsonBatches.format(messages);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        messages.forEach(m -> out.writeBytes(m.data()));
        return out.toByteArray();
    }

    /** {@code "<path base64>:<start>:<end>[:c]"}: changes with the data and with the closure. */
    static String etag(String path, String start, String end, boolean closed) {
        return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(path.getBytes(StandardCharsets.UTF_8))
                + ":" + start + ":" + end + (closed ? ":c" : "") + "\"";
    }

    /** The long-poll's {@code 204}: nothing new within the timeout, or the stream closed at the reader's offset. */
    private HttpResult timedOut(long position, boolean closed, String cursor) {
        Map<String, String> headers = StreamHeaders.common();
        headers.put(StreamHeaders.NEXT_OFFSET, StreamOffsets.format(position));
        headers.put(StreamHeaders.UP_TO_DATE, "true");
        headers.put("Cache-Control", "no-store");
        if (closed) {
            headers.put(StreamHeaders.CLOSED, "true");
        } else {
            headers.put(StreamHeaders.CURSOR, cursors.next(cursor));
        }
        return StreamAnswers.empty(204, null, headers);
    }

    static HttpResult failure(Throwable e) {
        return StreamAnswers.text(503, "Stream storage unavailable, retry: " + e.getClass().getSimpleName());
    }

    /**
     * One waiting long-poll: registered for the stream's changes before it looks again (so an append between
     * the first read and the registration is not missed), answered by the first of data, a close, a delete
     * or the timeout.
     */
    private final class LongPoll {
        private final String path;
        private final Start start;
        private final String cursor;
        private final HttpRequestData request;
        private final HttpResponder out;
        private final AtomicBoolean done = new AtomicBoolean();
        private StreamTails.Watch watch;
        private ScheduledFuture<?> timer;

        LongPoll(String path, Start start, String cursor, HttpRequestData request, HttpResponder out) {
            this.path = path;
            this.start = start;
            this.cursor = cursor;
            this.request = request;
            this.out = out;
        }

        void begin() {
            synchronized (this) {
                watch = store.tails().watch(path, this::look);
                timer = timers.schedule(this::expire, longPollTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            look();
        }

        private void look() {
            if (done.get()) {
                return;
            }
            store.read(path, start.position()).whenComplete((chunk, e) -> {
                if (e != null) {
                    finish(failure(e));
                } else if (chunk == null || chunk.state().softDeleted()) {
                    finish(StreamAnswers.text(chunk == null ? 404 : 410, "Stream was deleted"));
                } else if (!chunk.messages().isEmpty()) {
                    finish(data(path, start, chunk, cursors.next(cursor), request));
                } else if (chunk.state().closed()) {
                    finish(timedOut(start.position(), true, null));
                }
            });
        }

        private void expire() {
            store.state(path, true).whenComplete((state, e) ->
                    finish(timedOut(start.position(), state != null && state.closed(), cursor)));
        }

        private void finish(HttpResult result) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            synchronized (this) {
                if (watch != null) {
                    watch.close();
                }
                if (timer != null) {
                    timer.cancel(false);
                }
            }
            out.answer(result);
        }
    }
}
