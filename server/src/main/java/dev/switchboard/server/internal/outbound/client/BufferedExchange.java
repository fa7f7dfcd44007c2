package dev.switchboard.server.internal.outbound.client;

import dev.switchboard.server.internal.outbound.CallFailure;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;

/**
 * A call whose answer is read whole, up to the request's limit ({@link BodyCollector}); past the limit the
 * connection is closed at once (not read further) and the call fails as {@link CallFailure.Kind#TOO_LARGE}.
 */
final class BufferedExchange extends Exchange<BackendAnswer> {

    BufferedExchange(BackendOrigin origin, BackendRequest request) {
        super(origin, request);
    }

    @Override
    void head(HttpResponse response) {
        super.head(response);
        gatherWhole(response);
    }

    @Override
    void content(ByteBuf content, boolean last) {
        gather(content, last);
    }

    @Override
    BackendAnswer answer(int status, String contentType, byte[] body) {
        return new BackendAnswer(status, contentType, body);
    }
}
