package dev.switchboard.server.internal.outbound.client;

import dev.switchboard.server.internal.outbound.CallFailure;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponse;
import java.io.IOException;

/**
 * A call whose answer is handed over as soon as its status line arrives, the body following as a
 * {@link BodyStream}: the time-out covers the wait for the status line only (a started stream runs until the
 * backend ends it or the reader closes it).
 */
final class StreamedExchange extends Exchange<StreamedAnswer> implements BodyStream.Source {

    private final EventLoop loop;
    private BodyStream stream;

    StreamedExchange(BackendOrigin origin, BackendRequest request, EventLoop loop) {
        super(origin, request);
        this.loop = loop;
    }

    @Override
    void head(HttpResponse response) {
        super.head(response);
        disarm();
        stream = new BodyStream(this);
        result.complete(new StreamedAnswer(response.status().code(), contentType(response), stream));
    }

    @Override
    void content(ByteBuf content, boolean last) {
        if (content.isReadable()) {
            byte[] chunk = new byte[content.readableBytes()];
            content.readBytes(chunk);
            if (stream.offer(chunk) && channel != null) {
                channel.config().setAutoRead(false);
            }
        }
        if (last) {
            stream.end();
            Channel c = channel;
            if (c != null) {
                c.config().setAutoRead(true);
            }
            completed();
        }
    }

    @Override
    void fail(CallFailure failure) {
        if (stream != null) {
            stream.fail(new IOException(failure.getMessage()));
        }
        super.fail(failure);
    }

    @Override
    public void resume() {
        loop.execute(() -> {
            Channel c = channel;
            if (c != null && !isDone()) {
                c.config().setAutoRead(true);
            }
        });
    }

    @Override
    public void abort() {
        loop.execute(() -> fail(new CallFailure(CallFailure.Kind.UNREACHABLE, "the reader closed the body")));
    }
}
