package dev.switchboard.server.internal.outbound.client;

import dev.switchboard.server.internal.outbound.CallFailure;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a pooled backend connection: hands what the codec decodes to the call on the connection
 * (one at a time: no pipelining), and tells it when the connection breaks. Bytes that arrive while no call is
 * on the connection (an answer nobody asked for) close it.
 */
final class BackendConnection extends ChannelInboundHandlerAdapter {

    private Exchange<?> current;

    void assign(Exchange<?> exchange) {
        current = exchange;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            Exchange<?> e = current;
            if (e == null || e.isDone()) {
                if (e == null) {
                    ctx.close();
                }
                return;
            }
            if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
                e.fail(new CallFailure(CallFailure.Kind.BAD_ANSWER,
                        "malformed HTTP answer: " + o.decoderResult().cause().getMessage()));
                ctx.close();
                return;
            }
            if (msg instanceof HttpResponse r) {
                e.head(r);
            }
            if (msg instanceof HttpContent c && !e.isDone()) {
                e.content(c.content(), c instanceof LastHttpContent);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange<?> e = current;
        current = null;
        if (e != null) {
            e.connectionLost(new CallFailure(CallFailure.Kind.UNREACHABLE, "backend closed the connection"));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Exchange<?> e = current;
        current = null;
        if (e != null) {
            e.connectionLost(new CallFailure(CallFailure.Kind.UNREACHABLE,
                    "backend connection failed: " + cause.getClass().getSimpleName()));
        }
        ctx.close();
    }
}
