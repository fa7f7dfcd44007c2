package dev.switchboard.server.internal.sse;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The inbound end of an event stream's socket: nothing more is expected on it (envelopes come as POSTs on
 * other requests), so what arrives is dropped; its close ends the connection.
 */
final class EventStreamInbound extends ChannelInboundHandlerAdapter {

    private final Runnable onClosed;

    EventStreamInbound(Runnable onClosed) {
        this.onClosed = onClosed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        onClosed.run();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset stream: the close ends the connection
    }
}
