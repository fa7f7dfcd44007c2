package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client side of the RFC 6455 opening handshake, cut to what a load generator needs: the request bytes are
 * built once per URI and written as they are, and the response is checked for {@code 101} and the accept key
 * that belongs to the fixed request key. Netty's {@code WebSocketClientProtocolHandler} (HTTP codec, aggregator,
 * a fresh random key and a SHA-1 per connection) cost the load client about twice the server's CPU per connect,
 * so on a machine where both share the cores the client, not the server, set the measured connect rate.
 * Every connection sending the same key is allowed: the key only proves the server speaks WebSocket.
 */
final class LeanHandshake extends ChannelInboundHandlerAdapter {

    /** The sample key of RFC 6455 section 1.3 and its accept value. */
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    private static final int MAX_RESPONSE_HEAD = 8 * 1024;
    private static final long TIMEOUT_SECONDS = 15;
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    private final ByteBuf request;
    private final int maxFramePayload;
    private final BenchConnection connection;
    private ByteBuf head;
    private ScheduledFuture<?> timeout;

    /** A handshake that sends {@code request} (see {@link #request}) then hands the socket to {@code connection}. */
    LeanHandshake(ByteBuf request, int maxFramePayload, BenchConnection connection) {
        this.request = request;
        this.maxFramePayload = maxFramePayload;
        this.connection = connection;
    }

    /** The upgrade request for {@code wsUri}, to be shared (read-only) by every connection to it. */
    static ByteBuf request(URI wsUri) {
        String path = (wsUri.getRawPath() == null || wsUri.getRawPath().isEmpty() ? "/" : wsUri.getRawPath())
                + (wsUri.getRawQuery() == null ? "" : "?" + wsUri.getRawQuery());
        String text = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + wsUri.getHost() + ":" + wsUri.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        head = ctx.alloc().buffer(512);
        timeout = ctx.executor().schedule(() -> exceptionCaught(ctx,
                new IOException("no upgrade response within " + TIMEOUT_SECONDS + " s")), TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ctx.writeAndFlush(request.duplicate());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
        ByteBuf in = (ByteBuf) msg;
        try {
            head.writeBytes(in);
        } finally {
            in.release();
        }
        int end = FrameScan.indexOf(head, HEAD_END, head.readerIndex());
        if (end < 0) {
            if (head.readableBytes() > MAX_RESPONSE_HEAD) {
                throw new IOException("upgrade response head larger than " + MAX_RESPONSE_HEAD + " bytes");
            }
            return;
        }
        String response = head.toString(head.readerIndex(), end - head.readerIndex(), StandardCharsets.ISO_8859_1);
        head.readerIndex(end + HEAD_END.length);
        check(response);
        ChannelPipeline p = ctx.pipeline();
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false).allowMaskMismatch(true).maxFramePayloadLength(maxFramePayload).build();
        p.addAfter(ctx.name(), "ws-decoder", new WebSocket08FrameDecoder(decoder));
        p.addAfter("ws-decoder", "ws-encoder", new WebSocket08FrameEncoder(true));
        ByteBuf rest = head;
        head = null;
        // Frames that arrived with the response head (the server's welcome often does) go on to the decoder.
        if (rest.isReadable()) {
            ctx.fireChannelRead(rest);
        } else {
            rest.release();
        }
        p.remove(this);
    }

    private static void check(String response) throws IOException {
        int lineEnd = response.indexOf("\r\n");
        String status = lineEnd < 0 ? response : response.substring(0, lineEnd);
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + status);
        }
        boolean accepted = response.lines().anyMatch(line -> {
            int colon = line.indexOf(':');
            return colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("sec-websocket-accept")
                    && line.substring(colon + 1).trim().equals(ACCEPT);
        });
        if (!accepted) {
            throw new IOException("upgrade response without the expected Sec-WebSocket-Accept");
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (head != null) {
            head.release();
            head = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.welcomed().completeExceptionally(new IOException("closed during the upgrade"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connection.welcomed().completeExceptionally(cause);
        ctx.close();
    }
}
