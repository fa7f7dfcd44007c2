package dev.switchboard.server.internal.resumable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.internal.routing.Client;
import dev.switchboard.server.internal.routing.ReplyOutput;
import dev.switchboard.server.internal.routing.ReplyOutputs;
import dev.switchboard.server.streams.StreamAppend;
import dev.switchboard.server.streams.StreamAppended;
import dev.switchboard.server.streams.StreamCreated;
import dev.switchboard.server.streams.StreamTails;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producing side of one resumable reply: every answer frame is appended to the reply's stream first, then
 * sent to the requester while it is still connected, in order (each append waits for the one before). The
 * terminal frame closes the stream. The producer stops (its handler sees a cancel, the backend its request
 * aborted) when a reader closes the stream ({@code cancel} from any node), when the maximum duration is over,
 * or when the stream cannot be written. If the stream cannot even be created, the answer goes to the
 * requester as a plain reply: it is not lost, only not resumable.
 */
final class ReplyProducer implements ReplyOutput {

    private static final Logger log = LoggerFactory.getLogger(ReplyProducer.class);
    /** How soon after a change of its stream the producer looks whether someone else closed it. */
    private static final long CLOSE_CHECK_MS = 100;

    private final ResumableReplies replies;
    private final Client client;
    private final String re;
    private final ReplyOutputs.Stoppable request;
    private final String path;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final ScheduledFuture<?> deadline;
    private final StreamTails.Watch watch;
    /** The position after the last append; completes exceptionally when the stream is unusable. */
    private CompletableFuture<Long> tail;
    private volatile boolean detached;
    private volatile boolean direct;
    /** The terminal frame is on its way: the stream closing is this producer's own doing. */
    private volatile boolean ending;
    private final AtomicBoolean checking = new AtomicBoolean();

    ReplyProducer(ResumableReplies replies, Client client, String re, String requestType, ReplyOutputs.Stoppable request) {
        this.replies = replies;
        this.client = client;
        this.re = re;
        this.request = request;
        this.path = ReplyLog.PREFIX + replies.newId();
        String owner = client.connection().user();
        this.tail = replies.store().create(path, replies.spec(owner), ReplyLog.start(replies.nodeId(), requestType), null,
                owner == null ? null : "user:" + owner).thenApply(created -> {
                    if (created.outcome() != StreamCreated.Outcome.CREATED) {
                        throw new IllegalStateException("reply stream not created: " + created.outcome());
                    }
                    long start = created.state().tail();
                    deliver(ReplyLog.announcement(re, path, start));
                    return start;
                }).exceptionally(e -> {
                    log.warn("resumable reply {} answers unstored: {}", path, e.toString());
                    direct = true;
                    return -1L;
                });
        this.watch = replies.store().tails().watch(path, this::closedElsewhere);
        this.deadline = replies.timers().schedule(() -> request.stop("timeout"),
                replies.maxDuration().toMillis(), TimeUnit.MILLISECONDS);
        replies.producing(path, this);
    }

    String path() {
        return path;
    }

    @Override
    public synchronized void send(ObjectNode frame) {
        boolean terminal = ReplyLog.terminal(frame);
        ending |= terminal;
        byte[] stored = ReplyLog.stored(frame);
        tail = tail.thenCompose(position -> {
            if (direct) {
                deliver(frame);
                return CompletableFuture.completedFuture(position);
            }
            return replies.store().append(path, new StreamAppend(stored, ReplyLog.CONTENT_TYPE, null, null, terminal))
                    .thenApply(result -> appended(frame, result, position));
        }).exceptionally(e -> {
            if (!direct) {
                direct = true; // the storage failed under us: the requester gets the rest live, the reader a stop
                log.warn("resumable reply {} lost its stream: {}", path, e.toString());
                deliver(Frames.error(re, ErrorCode.UNAVAILABLE.code(), "the reply's stream is unavailable"));
                stop(null);
            } else {
                deliver(frame);
            }
            return -1L;
        });
        if (terminal) {
            tail.whenComplete((p, e) -> finish());
        }
    }

    private Long appended(ObjectNode frame, StreamAppended result, long before) {
        if (result.outcome() == StreamAppended.Outcome.APPENDED) {
            deliver(ReplyLog.located(frame.deepCopy(), path, result.tail()));
            return result.tail();
        }
        if (result.outcome() != StreamAppended.Outcome.CLOSED) {
            // too large for the stream's limit, or gone: end it for every reader, stop producing
            replies.store().append(path, new StreamAppend(Json.bytes(Frames.error(null, ErrorCode.TOO_LARGE.code(),
                    "the reply outgrew its stream (" + result.outcome() + ")")), ReplyLog.CONTENT_TYPE, null, null, true));
        }
        stop(null); // closed by a reader's cancel or a lost-producer notice, or refused above
        return before;
    }

    private void deliver(ObjectNode frame) {
        if (!detached && client.connection().isOpen()) {
            client.connection().send(Json.bytes(frame));
        }
    }

    @Override
    public void detach() {
        detached = true;
    }

    /**
     * A change of the stream (most are this producer's own appends): if someone else closed it (a reader's
     * cancel, a lost-producer notice), the handler stops. The look is debounced: a burst of appends costs one
     * state read, and a busy producer learns of a close from its next append anyway.
     */
    private void closedElsewhere() {
        if (finished.get() || ending || !checking.compareAndSet(false, true)) {
            return;
        }
        replies.timers().schedule(() -> replies.store().state(path, false).whenComplete((state, e) -> {
            checking.set(false);
            if (e == null && (state == null || state.closed()) && !ending) {
                stop(null);
            }
        }), CLOSE_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    private void stop(String reason) {
        if (!finished.get()) {
            request.stop(reason);
        }
        finish();
    }

    private void finish() {
        if (finished.compareAndSet(false, true)) {
            deadline.cancel(false);
            watch.close();
            replies.done(path);
        }
    }
}
