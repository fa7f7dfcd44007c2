package dev.switchboard.server.internal.outbound.client;

import dev.switchboard.server.internal.outbound.CallFailure;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call to a backend, from the request written to the answer's last byte, on one pooled connection at a
 * time. Every method but {@link #start} runs on the event loop the call was given to, so the state needs no
 * lock. The call's future completes on that loop; a caller that cancels it aborts the exchange (the backend
 * sees its connection close).
 *
 * @param <T> what the caller receives: a {@link BackendAnswer} or a {@link StreamedAnswer}
 */
abstract class Exchange<T> {

    final BackendOrigin origin;
    final BackendRequest request;
    final CompletableFuture<T> result = new CompletableFuture<>();
    private ScheduledFuture<?> deadline;
    /** The connection in use, null between attempts and after the end. */
    Channel channel;
    private boolean reused;
    private boolean retried;
    /** Whether the answer's status line arrived on this attempt (after that, nothing is retried). */
    boolean answered;
    boolean keepAlive;
    private boolean done;
    /** The answer being gathered whole, with its status and type; null for a streamed one. */
    BodyCollector whole;
    private int status;
    private String contentType;

    Exchange(BackendOrigin origin, BackendRequest request) {
        this.origin = origin;
        this.request = request;
    }

    /** Arms the time-out and hands the call to the origin's pool (on {@code channel}'s loop). */
    final void start(io.netty.channel.EventLoop loop) {
        result.whenComplete((v, t) -> {
            if (result.isCancelled()) {
                loop.execute(this::abort);
            }
        });
        deadline = loop.schedule(this::timedOut, request.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A connection was taken from the pool ({@code reused}) or opened for this call. */
    final void attach(Channel channel, boolean reused) {
        if (done) {
            origin.release(channel, false); // timed out or cancelled while connecting: the connection is unused
            return;
        }
        this.channel = channel;
        this.reused = reused;
        this.answered = false;
    }

    final boolean isDone() {
        return done;
    }

    /** The status line and headers. */
    void head(HttpResponse response) {
        answered = true;
        keepAlive = HttpUtil.isKeepAlive(response);
    }

    static String contentType(HttpResponse response) {
        String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type == null ? "" : type.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Starts gathering {@code response}'s body whole (see {@link #gather}); fails the call at once when its
     * declared length is past the limit.
     */
    final void gatherWhole(HttpResponse response) {
        long declared = HttpUtil.getContentLength(response, -1L);
        if (declared > request.maxBody()) {
            tooLarge();
        }
        whole = new BodyCollector(request.maxBody(), declared);
        status = response.status().code();
        contentType = contentType(response);
    }

    /** A piece of a body gathered whole: past the limit the call fails; at its end the call completes. */
    final void gather(ByteBuf content, boolean last) {
        if (!whole.add(content)) {
            tooLarge();
        } else if (last) {
            completed();
            result.complete(answer(status, contentType, whole.bytes()));
        }
    }

    /** What the caller receives for a whole answer. */
    abstract T answer(int status, String contentType, byte[] body);

    private void tooLarge() {
        fail(new CallFailure(CallFailure.Kind.TOO_LARGE, "answer is larger than " + request.maxBody() + " bytes"));
    }

    /** A piece of the body ({@code last}: the end of the answer). */
    abstract void content(ByteBuf content, boolean last);

    /** The connection broke (closed, reset, malformed answer) while this call was on it. */
    final void connectionLost(CallFailure failure) {
        if (done) {
            return;
        }
        boolean stale = reused && !answered && !retried;
        channel = null;
        if (stale) {
            // A kept-alive connection the backend closed while it sat idle (Node closes them after 5 s): the
            // request never reached a live handler, so it is sent once more on a fresh connection, as
            // browsers and OkHttp do.
            retried = true;
            origin.dispatch(this, true);
            return;
        }
        fail(failure);
    }

    /** Could not connect. */
    final void unreachable() {
        fail(new CallFailure(CallFailure.Kind.UNREACHABLE, "backend is unreachable"));
    }

    private void timedOut() {
        if (!done) {
            Channel c = channel;
            fail(new CallFailure(CallFailure.Kind.TIMEOUT, "backend did not answer in time"));
            if (c != null) {
                c.close(); // the answer, if it still comes, has nobody to go to
            }
        }
    }

    private void abort() {
        if (!done) {
            Channel c = channel;
            end();
            if (c != null) {
                c.close();
            }
        }
    }

    /** Fails the call (and the body of a streamed answer under way). */
    void fail(CallFailure failure) {
        if (!done) {
            Channel c = channel;
            end();
            if (c != null) {
                c.close();
            }
            result.completeExceptionally(failure);
        }
    }

    /** The answer is complete: the connection goes back to the pool when both sides want to keep it. */
    final void completed() {
        Channel c = channel;
        end();
        if (c != null) {
            origin.release(c, !keepAlive);
        }
    }

    private void end() {
        done = true;
        channel = null;
        disarm();
        if (request.body().refCnt() > 0) {
            request.body().release();
        }
    }

    /** The time-out stops covering a streamed answer once it has started. */
    final void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }
}
