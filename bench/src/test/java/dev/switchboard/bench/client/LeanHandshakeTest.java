package dev.switchboard.bench.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The load client's hand-rolled upgrade: the request it sends, and the responses it accepts and refuses. */
class LeanHandshakeTest {

    private static final URI TARGET = URI.create("ws://127.0.0.1:8080/ws?token=abc");

    private static EmbeddedChannel channel(BenchConnection connection) {
        return new EmbeddedChannel(new LeanHandshake(LeanHandshake.request(TARGET), 1 << 20, connection), connection);
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    /** An unmasked server text frame (payload under 126 bytes). */
    private static byte[] textFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[2 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        return frame;
    }

    private static final String ACCEPTED = "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n"
            + "connection: upgrade\r\nsec-websocket-accept: " + LeanHandshake.ACCEPT + "\r\n\r\n";

    @Test
    void sendsOneUpgradeRequestWithTheFixedKey() {
        EmbeddedChannel ch = channel(new BenchConnection(0, SwitchboardDialect.INSTANCE, Inbound.NONE));
        ByteBuf sent = ch.readOutbound();
        String request = sent.toString(StandardCharsets.US_ASCII);
        sent.release();
        assertTrue(request.startsWith("GET /ws?token=abc HTTP/1.1\r\n"), request);
        assertTrue(request.contains("Sec-WebSocket-Key: " + LeanHandshake.KEY + "\r\n"), request);
        assertTrue(request.endsWith("\r\n\r\n"), request);
        ch.finishAndReleaseAll();
    }

    @Test
    void aWelcomeInTheSameReadAsTheResponseHeadIsNotLost() throws Exception {
        BenchConnection connection = new BenchConnection(0, SwitchboardDialect.INSTANCE, Inbound.NONE);
        EmbeddedChannel ch = channel(connection);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(ACCEPTED.getBytes(StandardCharsets.US_ASCII));
        in.writeBytes(textFrame("{\"type\":\"welcome\",\"data\":{}}"));
        // split mid-head too: the head may arrive in pieces
        ch.writeInbound(in.readRetainedSlice(20));
        ch.writeInbound(in.readRetainedSlice(in.readableBytes()));
        in.release();
        assertEquals(connection, connection.welcomed().get(1, TimeUnit.SECONDS));
        ch.finishAndReleaseAll();
    }

    @Test
    void aRefusedUpgradeFailsTheConnectionWithTheStatus() {
        BenchConnection connection = new BenchConnection(0, SwitchboardDialect.INSTANCE, Inbound.NONE);
        EmbeddedChannel ch = channel(connection);
        ch.writeInbound(ascii("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> connection.welcomed().get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("404"), e.getCause().getMessage());
        ch.finishAndReleaseAll();
    }

    @Test
    void aWrongAcceptKeyIsRefused() {
        BenchConnection connection = new BenchConnection(0, SwitchboardDialect.INSTANCE, Inbound.NONE);
        EmbeddedChannel ch = channel(connection);
        ch.writeInbound(ascii(ACCEPTED.replace(LeanHandshake.ACCEPT, "bogus")));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> connection.welcomed().get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("Sec-WebSocket-Accept"), e.getCause().getMessage());
        ch.finishAndReleaseAll();
    }
}
