package dev.switchboard.server.internal.transport;

import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.routing.SocketSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an upgraded pipeline: control frames are answered here, text frames go to the
 * connection's session (the native {@code Client}, or another protocol's). One instance per connection.
 */
final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);
    private static final String AGGREGATOR = "ws-aggregator";
    private static final byte[] BARE_PING = "ping".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BINARY_REFUSED = Json.bytes(Frames.error(null, ErrorCode.BAD_ENVELOPE.code(),
            "binary frames are not supported; send JSON text frames"));

    private final SocketSession client;
    private final Clock clock;
    private final ConnectionOpener opener;

    WebSocketFrameHandler(SocketSession client, ConnectionOpener opener) {
        this.client = client;
        this.opener = opener;
        this.clock = opener.clock();
    }

    /**
     * Fragmented messages are rare (browsers and most libraries send a message as one frame), so Netty's
     * aggregator is put in front of this handler only when a first fragment arrives, and stays from then on:
     * 112 bytes (the aggregator and its pipeline context) not spent on every connection that never fragments.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (isFragment(msg) && ctx.pipeline().get(AGGREGATOR) == null) {
            WebSocketFrameAggregator aggregator = new WebSocketFrameAggregator(opener.settings().maxMessageSize());
            ctx.pipeline().addBefore(ctx.name(), AGGREGATOR, aggregator);
            aggregator.channelRead(ctx.pipeline().context(AGGREGATOR), msg); // it owns the frame now
            return;
        }
        super.channelRead(ctx, msg);
    }

    private static boolean isFragment(Object msg) {
        return msg instanceof ContinuationWebSocketFrame
                || (msg instanceof WebSocketFrame frame && !frame.isFinalFragment());
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
            connection.countIn(content.readableBytes());
            // Checked here, on the whole (aggregated) message, rather than by Netty's Utf8FrameValidator per
            // fragment: the same RFC 3629 check, without one more pipeline handler on every idle connection.
            byte[] message = ByteBufUtil.getBytes(content);
            if (!Utf8Text.isValid(message)) {
                connection.close(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8");
                return;
            }
            if (isBarePing(content)) {
                if (client.admitControl()) { // counted like any message: a ping flood is a flood
                    connection.sendControl(new TextWebSocketFrame("pong"));
                }
                return;
            }
            client.onText(message);
        } else if (frame instanceof PingWebSocketFrame ping) {
            if (client.admitControl()) {
                connection.sendControl(new PongWebSocketFrame(ping.content().retain()));
            }
        } else if (frame instanceof CloseWebSocketFrame close) {
            connection.peerClosed(close.content().readableBytes() >= 2 ? close.statusCode() : 1005); // 1005: no status code present
            answerClose(ctx, close);
        } else if (frame instanceof BinaryWebSocketFrame) {
            connection.send(BINARY_REFUSED);
        }
        // PongWebSocketFrame: the touch above is all it is for.
    }

    /**
     * Echoes a valid close code (RFC 6455 §5.5.1), answers an invalid one (1005, 1006, 1015, 0–999,
     * 1004, 1016–2999, ≥ 5000) with 1002 and a reason that is not UTF-8 with 1007, as the {@code ws} server does.
     */
    private static void answerClose(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
        ByteBuf body = close.content();
        CloseWebSocketFrame answer;
        if (body.readableBytes() == 0) {
            answer = new CloseWebSocketFrame(CloseCodes.NORMAL, "");
        } else if (body.readableBytes() == 1 || !validCloseCode(close.statusCode())) {
            answer = new CloseWebSocketFrame(CloseCodes.PROTOCOL_ERROR, "invalid close code");
        } else if (!validUtf8(body, body.readerIndex() + 2, body.readableBytes() - 2)) {
            answer = new CloseWebSocketFrame(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in the close reason");
        } else {
            answer = new CloseWebSocketFrame(close.statusCode(), "");
        }
        ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }

    static boolean validCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private static boolean validUtf8(ByteBuf buf, int from, int length) {
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(buf.nioBuffer(from, length));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /**
     * A client whose answers pile up unsent (it does not read) is not read from either, until it drains: its
     * requests cannot grow this node's memory through replies it never takes.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        super.channelWritabilityChanged(ctx);
    }

    private static io.netty.handler.codec.compression.DecompressionException inflateFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.netty.handler.codec.compression.DecompressionException d) {
                return d;
            }
        }
        return null;
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
        opener.closed(client);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        io.netty.handler.codec.compression.DecompressionException inflate = inflateFailure(cause);
        if (inflate != null) {
            // permessage-deflate: a frame that inflates past --max-message-size (a compression bomb) is a message
            // too big; data that does not inflate is a protocol error (RFC 7692 §8)
            boolean tooBig = String.valueOf(inflate.getMessage()).contains("maximum size");
            client.connection().close(tooBig ? CloseCodes.MESSAGE_TOO_BIG : CloseCodes.PROTOCOL_ERROR,
                    tooBig ? "message too big" : "invalid compressed data");
        } else if (cause instanceof TooLongFrameException) {
            client.connection().close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
        } else if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            // 1007 for text that is not UTF-8 (or an overlong encoding), 1009 for too big, else 1002
            int code = corrupt.closeStatus() == null ? CloseCodes.PROTOCOL_ERROR : corrupt.closeStatus().code();
            client.connection().close(code, code == CloseCodes.INVALID_PAYLOAD ? "invalid UTF-8" : "protocol error");
        } else {
            log.debug("connection {} failed: {}", client.connection().id(), cause.toString());
            ctx.close();
        }
    }
}
