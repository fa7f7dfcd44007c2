package dev.switchboard.server.internal.outbound.client;

import dev.switchboard.server.internal.outbound.CallFailure;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;

/**
 * A call whose answer is read whole, up to the request's limit: the body is copied once, from the socket's
 * buffers into an array sized by {@code Content-Length}; past the limit the connection is closed at once
 * (not read further) and the call fails as {@link CallFailure.Kind#TOO_LARGE}.
 */
final class BufferedExchange extends Exchange<BackendAnswer> {

    private int status;
    private String contentType;
    private byte[] body = new byte[0];
    private int size;

    BufferedExchange(BackendOrigin origin, BackendRequest request) {
        super(origin, request);
    }

    @Override
    void head(HttpResponse response) {
        super.head(response);
        status = response.status().code();
        contentType = contentType(response);
        long length = HttpUtil.getContentLength(response, -1L);
        if (length > request.maxBody()) {
            tooLarge();
        } else if (length > 0) {
            body = new byte[(int) length];
        }
    }

    @Override
    void content(ByteBuf content, boolean last) {
        int n = content.readableBytes();
        if (size + n > request.maxBody()) {
            tooLarge();
            return;
        }
        if (size + n > body.length) {
            body = java.util.Arrays.copyOf(body, Math.min(request.maxBody(), Math.max(size + n, body.length * 2)));
        }
        content.readBytes(body, size, n);
        size += n;
        if (last) {
            byte[] answer = size == body.length ? body : java.util.Arrays.copyOf(body, size);
            completed();
            result.complete(new BackendAnswer(status, contentType, answer));
        }
    }

    private void tooLarge() {
        fail(new CallFailure(CallFailure.Kind.TOO_LARGE, "answer is larger than " + request.maxBody() + " bytes"));
    }
}
