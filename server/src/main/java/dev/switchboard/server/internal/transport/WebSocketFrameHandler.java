package dev.switchboard.server.internal.transport;

import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.routing.Client;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an upgraded pipeline: control frames are answered here, text frames go to the
 * connection's {@link Client}. One instance per connection.
 */
final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);
    private static final byte[] BARE_PING = "ping".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BINARY_REFUSED = Json.bytes(Frames.error(null, ErrorCode.BAD_ENVELOPE.code(),
            "binary frames are not supported; send JSON text frames"));

    private final Client client;
    private final Clock clock;

    WebSocketFrameHandler(Client client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        Connection connection = client.connection();
        connection.touch(clock.millis());
        if (connection.isClosing()) {
            if (frame instanceof CloseWebSocketFrame) {
                ctx.close(); // the peer answered our close: the handshake is complete
            }
            return; // everything else after our close frame is discarded unread
        }
        if (frame instanceof TextWebSocketFrame text) {
            ByteBuf content = text.content();
            if (isBarePing(content)) {
                ctx.writeAndFlush(new TextWebSocketFrame("pong"));
                return;
            }
            client.onText(ByteBufUtil.getBytes(content));
        } else if (frame instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame close) {
            ctx.writeAndFlush(close.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
        } else if (frame instanceof BinaryWebSocketFrame) {
            connection.send(BINARY_REFUSED);
        }
        // PongWebSocketFrame: the touch above is all it is for.
    }

    private static boolean isBarePing(ByteBuf content) {
        if (content.readableBytes() != BARE_PING.length) {
            return false;
        }
        for (int i = 0; i < BARE_PING.length; i++) {
            if (content.getByte(content.readerIndex() + i) != BARE_PING[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        client.onClosed();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            client.connection().close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
        } else if (cause instanceof CorruptedWebSocketFrameException) {
            client.connection().close(CloseCodes.PROTOCOL_ERROR, "protocol error");
        } else {
            log.debug("connection {} failed: {}", client.connection().id(), cause.toString());
            ctx.close();
        }
    }
}
