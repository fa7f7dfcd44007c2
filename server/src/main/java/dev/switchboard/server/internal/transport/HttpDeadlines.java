package dev.switchboard.server.internal.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Time limits of the HTTP phase, so sockets that send nothing, trickle header bytes (slowloris) or sit idle
 * between kept-alive requests cannot hold file descriptors for ever: a connection must deliver complete
 * request headers within the header timeout of opening (408 and close when it does not), and a kept-alive one
 * must start its next request within the idle timeout of the last response (closed silently, as HTTP allows).
 * Placed right after the HTTP decoder, which emits an {@link HttpRequest} once the headers are complete; the
 * upgrade removes it, and the WebSocket heartbeat takes over.
 */
final class HttpDeadlines extends ChannelDuplexHandler {

    static final String NAME = "http-deadlines";

    private final long headerMillis;
    private final long idleMillis;
    private ScheduledFuture<?> deadline;
    private boolean inRequest;

    HttpDeadlines(Duration headerTimeout, Duration idleTimeout) {
        this.headerMillis = headerTimeout.toMillis();
        this.idleMillis = idleTimeout.toMillis();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx, headerMillis, true);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            inRequest = true;
            cancel(); // headers complete; the body is bounded by the aggregator's size limit
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent && inRequest) {
            inRequest = false;
            arm(ctx, idleMillis, false); // answered: the next request must begin within the idle timeout
        }
        super.write(ctx, msg, promise);
    }

    private void arm(ChannelHandlerContext ctx, long millis, boolean answer) {
        cancel();
        deadline = ctx.executor().schedule(() -> {
            if (inRequest || !ctx.channel().isActive()) {
                return;
            }
            if (answer) {
                HttpRouter.refuse(ctx, HttpResult.error(408, "timeout", "request headers not complete within " + millis + " ms"));
            } else {
                ctx.close();
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }
}
