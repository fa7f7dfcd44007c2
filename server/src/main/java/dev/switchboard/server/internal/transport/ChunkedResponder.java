package dev.switchboard.server.internal.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * The {@link HttpResponder} of one request on one socket: a whole answer goes through the router's writer (and
 * its access-log line); a stream writes a chunked response, every write hopping onto the socket's event loop,
 * and logs its line when it ends. Only the first of {@code answer} / {@code stream} counts.
 */
final class ChunkedResponder implements HttpResponder {

    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;
    private final BiConsumer<Boolean, HttpResult> whole;
    private final BiConsumer<Integer, Long> log;
    private final AtomicBoolean answered = new AtomicBoolean();

    ChunkedResponder(ChannelHandlerContext ctx, boolean keepAlive, BiConsumer<Boolean, HttpResult> whole,
                     BiConsumer<Integer, Long> log) {
        this.ctx = ctx;
        this.keepAlive = keepAlive;
        this.whole = whole;
        this.log = log;
    }

    @Override
    public void answer(HttpResult result) {
        if (answered.compareAndSet(false, true)) {
            ctx.executor().execute(() -> whole.accept(keepAlive, result));
        }
    }

    @Override
    public ResponseStream stream(int status, Map<String, String> headers) {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("already answered");
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        head.headers().set("X-Content-Type-Options", "nosniff");
        headers.forEach(head.headers()::set);
        head.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ctx.executor().execute(() -> ctx.writeAndFlush(head));
        return new Chunks(status);
    }

    private final class Chunks implements ResponseStream {
        private final int status;
        private final AtomicBoolean ended = new AtomicBoolean();
        private long bytes;

        Chunks(int status) {
            this.status = status;
        }

        @Override
        public void write(byte[] data) {
            if (ended.get() || data.length == 0) {
                return;
            }
            // queued before end(): the executor runs tasks in order, so this chunk goes before the last one
            ctx.executor().execute(() -> {
                if (ctx.channel().isActive()) {
                    bytes += data.length;
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(data)), ctx.voidPromise());
                }
            });
        }

        @Override
        public void end() {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            ctx.executor().execute(() -> {
                log.accept(status, bytes);
                if (!ctx.channel().isActive()) {
                    return;
                }
                var done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                if (!keepAlive) {
                    done.addListener(ChannelFutureListener.CLOSE);
                }
            });
        }

        @Override
        public boolean isOpen() {
            return !ended.get() && ctx.channel().isActive();
        }

        @Override
        public boolean isWritable() {
            return ctx.channel().isWritable();
        }

        @Override
        public void onClose(Runnable action) {
            ctx.channel().closeFuture().addListener(f -> action.run());
        }
    }
}
