package dev.switchboard.server.internal.outbound.client;

import dev.switchboard.server.internal.outbound.CallFailure;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.function.Predicate;

/**
 * A call whose answer may be a stream: when its content type is one the caller reads as a stream, the answer
 * is handed over as soon as its status line arrives, the body following as a {@link BodyStream}, and the
 * time-out covers the wait for the status line only (a started stream runs until the backend ends it or the
 * reader closes it). Any other answer is gathered whole on the event loop first and handed over complete, so
 * the reader's thread is woken once, not once for the head and again for the body.
 */
final class StreamedExchange extends Exchange<StreamedAnswer> implements BodyStream.Source {

    private final EventLoop loop;
    private final Predicate<String> streamed;
    private BodyStream stream;

    StreamedExchange(BackendOrigin origin, BackendRequest request, EventLoop loop, Predicate<String> streamed) {
        super(origin, request);
        this.loop = loop;
        this.streamed = streamed;
    }

    @Override
    void head(HttpResponse response) {
        super.head(response);
        String contentType = contentType(response);
        if (!streamed.test(contentType)) {
            gatherWhole(response);
            return;
        }
        disarm();
        stream = new BodyStream(this);
        result.complete(new StreamedAnswer(response.status().code(), contentType, stream));
    }

    @Override
    void content(ByteBuf content, boolean last) {
        if (whole != null) {
            gather(content, last);
            return;
        }
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
    StreamedAnswer answer(int status, String contentType, byte[] body) {
        return new StreamedAnswer(status, contentType, new ByteArrayInputStream(body));
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
