package dev.switchboard.server.internal.outbound.client;

import dev.switchboard.server.internal.outbound.CallFailure;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;

/**
 * A call whose answer is read whole, up to the request's limit ({@link BodyCollector}); past the limit the
 * connection is closed at once (not read further) and the call fails as {@link CallFailure.Kind#TOO_LARGE}.
 */
final class BufferedExchange extends Exchange<BackendAnswer> {

    private int status;
    private String contentType;
    private BodyCollector body;

    BufferedExchange(BackendOrigin origin, BackendRequest request) {
        super(origin, request);
    }

    @Override
    void head(HttpResponse response) {
        super.head(response);
        status = response.status().code();
        contentType = contentType(response);
        body = collector(response);
    }

    @Override
    void content(ByteBuf content, boolean last) {
        if (!body.add(content)) {
            tooLarge();
        } else if (last) {
            completed();
            result.complete(new BackendAnswer(status, contentType, body.bytes()));
        }
    }
}
