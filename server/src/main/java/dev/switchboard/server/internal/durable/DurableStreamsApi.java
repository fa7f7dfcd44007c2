package dev.switchboard.server.internal.durable;

import dev.switchboard.server.internal.api.ApiKeys;
import dev.switchboard.server.internal.auth.TicketVerifier;
import dev.switchboard.server.internal.durable.StreamAnswers.BadRequest;
import dev.switchboard.server.internal.transport.HttpRequestData;
import dev.switchboard.server.internal.transport.HttpResponder;
import dev.switchboard.server.internal.transport.HttpResult;
import dev.switchboard.server.internal.transport.HttpRoutes;
import dev.switchboard.server.streams.StreamStore;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The Durable Streams protocol (durable-streams/PROTOCOL.md) under a prefix: every path below it is a stream.
 * {@code PUT} create, {@code POST} append/close, {@code DELETE}, {@code HEAD} metadata, {@code GET} catch-up,
 * long-poll and SSE, {@code OPTIONS} CORS preflight (no credentials needed). The storage is a
 * {@link StreamStore}: the node's memory, or Redis for a cluster, where any node serves any stream.
 */
public final class DurableStreamsApi implements AutoCloseable {

    private final StreamStore store;
    private final DurableSettings settings;
    private final StreamPaths paths;
    private final StreamAccess access;
    private final StreamWrites writes;
    private final StreamReads reads;
    private final StreamEventSource events;
    private final ScheduledExecutorService timers;

    public DurableStreamsApi(StreamStore store, DurableSettings settings, ApiKeys keys, TicketVerifier tickets,
                             Clock clock) {
        this.store = store;
        this.settings = settings;
        this.paths = new StreamPaths(settings.prefix(), settings.tls());
        this.access = new StreamAccess(keys, tickets);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "streams-timers");
            t.setDaemon(true);
            return t;
        });
        StreamCursors cursors = new StreamCursors(clock);
        this.writes = new StreamWrites(store, paths);
        this.reads = new StreamReads(store, cursors, timers, settings.longPollTimeout());
        this.events = new StreamEventSource(store, cursors, timers, settings.longPollTimeout(), settings.sseMaxDuration());
    }

    public void install(HttpRoutes routes) {
        routes.prefix(paths.prefix(), settings.maxAppend(), this::handle);
    }

    private void handle(HttpRequestData request, HttpResponder out) {
        if (request.method().equals("OPTIONS")) {
            out.answer(StreamAnswers.empty(204, null, StreamHeaders.common()));
            return;
        }
        String path = paths.streamOf(request.path());
        if (path == null) {
            out.answer(StreamAnswers.text(404, "Not a stream path: " + paths.prefix() + "/<path>"));
            return;
        }
        try {
            switch (request.method()) {
                case "PUT", "POST", "DELETE" -> write(path, request, out);
                case "GET", "HEAD" -> read(path, request, out);
                default -> out.answer(StreamAnswers.text(405, "Method not allowed"));
            }
        } catch (BadRequest e) {
            out.answer(StreamAnswers.text(400, e.getMessage()));
        }
    }

    private void write(String path, HttpRequestData request, HttpResponder out) throws BadRequest {
        StreamAccess.Denied denied = access.mayWrite(request);
        if (denied != null) {
            out.answer(StreamAnswers.text(denied.status(), denied.message()));
            return;
        }
        CompletableFuture<HttpResult> answer = switch (request.method()) {
            case "PUT" -> writes.create(path, request, access.writer(request));
            case "POST" -> writes.append(path, request);
            default -> writes.delete(path);
        };
        answer.whenComplete((result, e) -> out.answer(e != null ? StreamReads.failure(e) : result));
    }

    private void read(String path, HttpRequestData request, HttpResponder out) {
        store.state(path, false).whenComplete((state, e) -> {
            if (e != null) {
                out.answer(StreamReads.failure(e));
                return;
            }
            if (state == null) {
                out.answer(StreamAnswers.text(404, "Stream not found"));
                return;
            }
            StreamAccess.Denied denied = access.mayRead(request, state);
            if (denied != null) {
                out.answer(StreamAnswers.text(denied.status(), denied.message()));
                return;
            }
            if (state.softDeleted()) {
                out.answer(StreamAnswers.text(410, "Stream is gone"));
                return;
            }
            if (request.method().equals("HEAD")) {
                out.answer(StreamReads.head(state));
                return;
            }
            try {
                StreamReads.Start start = StreamReads.start(request, state);
                String live = request.queryParam("live");
                boolean sse = "sse".equals(live);
                boolean longPoll = "long-poll".equals(live);
                if ((sse || longPoll) && start.given() == null) {
                    throw new BadRequest((sse ? "SSE" : "Long-poll") + " needs an offset");
                }
                if (sse) {
                    events.serve(path, state, start.position(), request.queryParam("cursor"), out);
                } else {
                    reads.get(path, request, state, start, longPoll, out);
                }
            } catch (BadRequest bad) {
                out.answer(StreamAnswers.text(400, bad.getMessage()));
            }
        });
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
