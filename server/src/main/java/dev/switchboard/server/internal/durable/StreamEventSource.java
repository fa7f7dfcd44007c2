package dev.switchboard.server.internal.durable;

import dev.switchboard.protocol.Json;
import dev.switchboard.server.internal.transport.HttpResponder;
import dev.switchboard.server.streams.JsonBatches;
import dev.switchboard.server.streams.StreamChunk;
import dev.switchboard.server.streams.StreamMessage;
import dev.switchboard.server.streams.StreamOffsets;
import dev.switchboard.server.streams.StreamState;
import dev.switchboard.server.streams.StreamStore;
import dev.switchboard.server.streams.LiveRead;
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
 * {@code GET ?live=sse}: the stream as Server-Sent Events. Every message is a {@code data} event (text as it
 * is, one {@code data:} line per line so no payload can forge an event; JSON as an array of that message's
 * values; anything else base64) followed by its own {@code control} event carrying the offset after it, the
 * cursor, and {@code upToDate} once the reader has caught up. A closed stream ends with a control event that
 * says so, and the response ends. An idle stream gets a control event every long-poll timeout; the response
 * ends after the SSE duration (the client reconnects from its last offset). A reader that does not read
 * (the socket past its high-water mark) is not fed; one stuck that way for the long-poll timeout is dropped.
 */
final class StreamEventSource {

    private final StreamStore store;
    private final StreamCursors cursors;
    private final ScheduledExecutorService timers;
    private final Duration keepAlive;
    private final Duration maxDuration;

    StreamEventSource(StreamStore store, StreamCursors cursors, ScheduledExecutorService timers, Duration keepAlive,
                      Duration maxDuration) {
        this.store = store;
        this.cursors = cursors;
        this.timers = timers;
        this.keepAlive = keepAlive;
        this.maxDuration = maxDuration;
    }

    void serve(String path, StreamState state, long position, String cursor, HttpResponder out) {
        Map<String, String> headers = StreamHeaders.common();
        headers.put("Content-Type", "text/event-stream");
        headers.put("Cache-Control", "no-cache");
        boolean base64 = !state.spec().textual();
        if (base64) {
            headers.put(StreamHeaders.SSE_DATA_ENCODING, "base64");
        }
        new Session(path, state.spec().json(), base64, position, cursor, out.stream(200, headers)).start();
    }

    private final class Session implements LiveRead.Reader {
        private final boolean json;
        private final boolean base64;
        private final String clientCursor;
        private final HttpResponder.ResponseStream out;
        private final long deadline;
        private final LiveRead read;
        private final AtomicBoolean ended = new AtomicBoolean();
        /** The next read that finds nothing says so (the first read, and after each idle interval). */
        private volatile boolean announce = true;
        private volatile long unwritableSince;
        private ScheduledFuture<?> idle;

        Session(String path, boolean json, boolean base64, long position, String cursor,
                HttpResponder.ResponseStream out) {
            this.json = json;
            this.base64 = base64;
            this.clientCursor = cursor;
            this.out = out;
            this.deadline = System.nanoTime() + maxDuration.toNanos();
            this.read = new LiveRead(store, path, position, this);
        }

        void start() {
            out.onClose(this::end);
            armIdle();
            read.start();
        }

        @Override
        public boolean chunk(StreamChunk chunk) {
            if (ended.get()) {
                return false;
            }
            if (write(chunk)) {
                end();
                return false;
            }
            if (!out.isWritable()) {
                read.hold(); // no more until the socket drained
                unwritableSince = System.nanoTime();
                timers.schedule(this::drained, 20, TimeUnit.MILLISECONDS);
            }
            return true;
        }

        @Override
        public void ended(Throwable failure) {
            end();
        }

        /** Writes a read's events; true when the stream is closed and the reader has all of it. */
        private boolean write(StreamChunk chunk) {
            StreamState state = chunk.state();
            List<StreamMessage> messages = chunk.messages();
            boolean announceEmpty = announce;
            announce = false;
            if (messages.isEmpty()) {
                long position = read.position();
                boolean closed = state.closed() && position >= state.tail();
                if (closed || announceEmpty) {
                    out.write(control(Math.max(position, state.tail()), true, closed));
                }
                return closed;
            }
            StringBuilder events = new StringBuilder();
            for (int i = 0; i < messages.size(); i++) {
                StreamMessage m = messages.get(i);
                boolean upToDate = i == messages.size() - 1 && chunk.upToDate();
                boolean closed = upToDate && state.closed() && m.end() == state.tail();
                events.append("event: data\n").append(dataLines(m)).append(new String(
                        control(m.end(), upToDate, closed), StandardCharsets.UTF_8));
                if (closed) {
                    out.write(events.toString().getBytes(StandardCharsets.UTF_8));
                    return true;
                }
            }
            out.write(events.toString().getBytes(StandardCharsets.UTF_8));
            armIdle();
            return false;
        }

        private String dataLines(StreamMessage m) {
            String payload = base64 ? Base64.getEncoder().encodeToString(m.data())
                    : json ? new String(JsonBatches.format(List.of(m)), StandardCharsets.UTF_8)
                    : new String(m.data(), StandardCharsets.UTF_8);
            StringBuilder lines = new StringBuilder(payload.length() + 16);
            for (String line : payload.split("\r\n|\r|\n", -1)) {
                lines.append("data:").append(line).append('\n');
            }
            return lines.append('\n').toString();
        }

        private byte[] control(long offset, boolean upToDate, boolean closed) {
            var fields = Json.object().put("streamNextOffset", StreamOffsets.format(offset));
            if (closed) {
                fields.put("streamClosed", true);
            } else {
                fields.put("streamCursor", cursors.next(clientCursor));
                if (upToDate) {
                    fields.put("upToDate", true);
                }
            }
            return ("event: control\ndata:" + Json.text(fields) + "\n\n").getBytes(StandardCharsets.UTF_8);
        }

        /** Every keep-alive interval without data: a fresh read that says where the reader is, or the end. */
        private synchronized void armIdle() {
            if (idle != null) {
                idle.cancel(false);
            }
            if (ended.get()) {
                return;
            }
            long wait = Math.min(keepAlive.toNanos(), Math.max(0, deadline - System.nanoTime()));
            idle = timers.schedule(() -> {
                if (System.nanoTime() >= deadline) {
                    end();
                } else {
                    announce = true;
                    read.poke();
                    armIdle();
                }
            }, wait, TimeUnit.NANOSECONDS);
        }

        private void drained() {
            if (ended.get()) {
                return;
            }
            if (out.isWritable()) {
                read.poke();
            } else if (System.nanoTime() - unwritableSince > keepAlive.toNanos()) {
                end(); // a reader that stopped reading: it reconnects from its offset
            } else {
                timers.schedule(this::drained, 20, TimeUnit.MILLISECONDS);
            }
        }

        private void end() {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            read.stop();
            synchronized (this) {
                if (idle != null) {
                    idle.cancel(false);
                }
            }
            out.end();
        }
    }
}
