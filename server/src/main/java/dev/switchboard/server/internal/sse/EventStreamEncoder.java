package dev.switchboard.server.internal.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.internal.delivery.Connection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Makes an event stream look like a WebSocket to everything above it: the hub, the built-ins and the
 * heartbeats write WebSocket frames, and this handler writes each as Server-Sent Events on the chunked HTTP
 * response. A text frame (one JSON envelope, never with a raw newline) becomes {@code data: …}, with an
 * {@code id} when it moved a channel's position ({@link StreamPositions}); a ping becomes a comment line, and
 * its write reaching the socket counts as the peer being there (an event stream has no pong); a close frame
 * becomes a final {@code {"type":"close","code","reason"}} event and the end of the response.
 */
final class EventStreamEncoder extends ChannelOutboundHandlerAdapter {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE_PREFIX = "{\"type\":\"message\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OWN_REPLY_PREFIX = ("{\"type\":\"reply\",\"re\":\"" + EventStreams.SUBSCRIBE_ID_PREFIX)
            .getBytes(StandardCharsets.US_ASCII);

    private final Connection connection;
    private final Clock clock;
    private final StreamPositions positions = new StreamPositions();

    EventStreamEncoder(Connection connection, Clock clock) {
        this.connection = connection;
        this.clock = clock;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.write(msg, promise); // the response head, written by the stream route
            return;
        }
        try {
            if (frame instanceof TextWebSocketFrame text) {
                ctx.write(new DefaultHttpContent(event(ctx, text.content())), promise);
            } else if (frame instanceof PingWebSocketFrame) {
                ChannelPromise written = ctx.newPromise().addListener(f -> {
                    if (f.isSuccess()) {
                        connection.touch(clock.millis());
                    }
                });
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(PING)), written);
                promise.trySuccess();
            } else if (frame instanceof CloseWebSocketFrame close) {
                String body = Json.text(Json.object().put("type", "close").put("code", close.statusCode())
                        .put("reason", close.reasonText()));
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(DATA,
                        body.getBytes(StandardCharsets.UTF_8), END)));
                ctx.write(LastHttpContent.EMPTY_LAST_CONTENT, promise);
            } else {
                promise.trySuccess(); // pong and binary frames have no meaning on an event stream
            }
        } finally {
            frame.release();
        }
    }

    /** {@code [id: …\n]data: <json>\n\n}; retains what it uses of {@code json}. */
    private ByteBuf event(ChannelHandlerContext ctx, ByteBuf json) {
        CompositeByteBuf out = ctx.alloc().compositeBuffer(4);
        String id = positionAfter(json);
        if (id != null) {
            out.addComponent(true, Unpooled.copiedBuffer("id: " + id + "\n", StandardCharsets.UTF_8));
        }
        out.addComponent(true, Unpooled.wrappedBuffer(DATA));
        out.addComponent(true, json.retain());
        out.addComponent(true, Unpooled.wrappedBuffer(END));
        return out;
    }

    /**
     * The new id when this frame moves a channel's position: a channel message, or the answer to a subscribe the
     * stream made itself (its position, and the last publication it recovered). Null when nothing moved.
     */
    private String positionAfter(ByteBuf json) {
        boolean message = startsWith(json, MESSAGE_PREFIX);
        if (!message && !startsWith(json, OWN_REPLY_PREFIX)) {
            return null;
        }
        JsonNode frame = Json.parse(ByteBufUtil.getBytes(json));
        boolean moved;
        if (message) {
            moved = advance(frame.path("channel").asText(), frame);
        } else {
            String channel = frame.path("re").asText().substring(EventStreams.SUBSCRIBE_ID_PREFIX.length());
            JsonNode data = frame.path("data");
            moved = advance(channel, data);
            for (JsonNode p : data.path("publications")) {
                moved |= advance(channel, p);
            }
        }
        return moved ? positions.id() : null;
    }

    private boolean advance(String channel, JsonNode at) {
        return !channel.isEmpty() && at.path("epoch").isTextual() && at.path("offset").canConvertToLong()
                && positions.advance(channel, at.path("offset").asLong(), at.path("epoch").asText());
    }

    private static boolean startsWith(ByteBuf buf, byte[] prefix) {
        if (buf.readableBytes() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf.getByte(buf.readerIndex() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
