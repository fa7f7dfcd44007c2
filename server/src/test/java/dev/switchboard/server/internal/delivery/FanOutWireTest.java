package dev.switchboard.server.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared pre-encoded frame is byte-identical to Netty's own encoding, and deflate connections still compress. */
class FanOutWireTest {

    private static byte[] nettyEncoding(byte[] payload) {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        ch.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
        ByteBuf all = Unpooled.buffer();
        ByteBuf part;
        while ((part = ch.readOutbound()) != null) {
            all.writeBytes(part);
            part.release();
        }
        ch.finishAndReleaseAll();
        return ByteBufUtil.getBytes(all);
    }

    private static byte[] written(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        Object part;
        while ((part = ch.readOutbound()) != null) {
            all.writeBytes((ByteBuf) part);
            ((ByteBuf) part).release();
        }
        return ByteBufUtil.getBytes(all);
    }

    @Test
    void wireFramesMatchNettysEncodingForEveryLengthClass() {
        for (int length : new int[] {0, 5, 125, 126, 1000, 65535, 65536, 70000}) {
            byte[] payload = "x".repeat(length).getBytes(StandardCharsets.UTF_8);
            ByteBuf wire = WireFrame.text(payload, ByteBufAllocator.DEFAULT);
            assertArrayEquals(nettyEncoding(payload), ByteBufUtil.getBytes(wire), "length " + length);
            wire.release();
        }
    }

    @Test
    void sharedFrameGoesOutAsIsAndIsReleasedByEveryRecipient() {
        byte[] payload = "{\"type\":\"message\",\"data\":1}".getBytes(StandardCharsets.UTF_8);
        ByteBuf wire = WireFrame.text(payload, ByteBufAllocator.DEFAULT);
        EmbeddedChannel a = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        EmbeddedChannel b = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        Connection ca = new Connection("a", a, "/ws", "s", 0, 1 << 20);
        Connection cb = new Connection("b", b, "/ws", "s", 0, 1 << 20);
        wire.retain(2);
        ca.writeWireOnLoop(wire, WireFrame.headerLength(payload.length));
        cb.writeWireOnLoop(wire, WireFrame.headerLength(payload.length));
        a.flush();
        b.flush();
        assertArrayEquals(nettyEncoding(payload), written(a));
        assertArrayEquals(nettyEncoding(payload), written(b));
        assertEquals(1, wire.refCnt(), "each recipient released its reference");
        wire.release();
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }

    @Test
    void aConnectionWithPermessageDeflateGetsAFrameItsExtensionCompresses() {
        byte[] payload = "{\"type\":\"message\",\"data\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}"
                .getBytes(StandardCharsets.UTF_8);
        var extension = new PerMessageDeflateServerExtensionHandshaker()
                .handshakeExtension(new WebSocketExtensionData("permessage-deflate", Map.of()));
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocket13FrameEncoder(false), extension.newExtensionEncoder());
        Connection c = new Connection("c", ch, "/ws", "s", 0, 1 << 20);
        ByteBuf wire = WireFrame.text(payload, ByteBufAllocator.DEFAULT);
        c.writeWireOnLoop(wire, WireFrame.headerLength(payload.length));
        ch.flush();
        byte[] out = written(ch);
        assertEquals(0x40, out[0] & 0x40, "RSV1 set: the frame went through the deflate encoder");
        assertNotEquals(payload.length, out.length - 2);
        assertEquals(0, wire.refCnt());
        ch.finishAndReleaseAll();
    }
}
