package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * One load-client WebSocket connection: waits for the server's welcome, then hands every frame, as its
 * {@link Dialect} reads it, to the scenario's {@link Inbound}. Writes go straight to the Netty channel; callers batch with {@link #write} and
 * {@link #flush} when they send many frames at once.
 */
public final class BenchConnection extends SimpleChannelInboundHandler<WebSocketFrame> {

    private final int index;
    private final Dialect dialect;
    private final CompletableFuture<BenchConnection> welcomed = new CompletableFuture<>();
    private volatile Inbound inbound;
    private volatile Channel channel;
    private volatile int closeCode = -1;

    BenchConnection(int index, Dialect dialect, Inbound inbound) {
        this.index = index;
        this.dialect = dialect;
        this.inbound = inbound;
    }

    /** The connection's number within its run (stable, 0-based). */
    public int index() {
        return index;
    }

    /** Completes when the server has sent {@code welcome}; fails if the connection dies first. */
    public CompletableFuture<BenchConnection> welcomed() {
        return welcomed;
    }

    /** Replaces the frame consumer (e.g. after setup, when a scenario starts measuring). */
    public void inbound(Inbound inbound) {
        this.inbound = inbound;
    }

    /** The underlying channel (its event loop is where this connection's callbacks run). */
    public Channel channel() {
        return channel;
    }

    /** The close code the server sent, or -1. */
    public int closeCode() {
        return closeCode;
    }

    /** Whether the socket is still open. */
    public boolean isOpen() {
        Channel c = channel;
        return c != null && c.isActive();
    }

    /** Queues a text frame without flushing. */
    public void write(String text) {
        channel.write(new TextWebSocketFrame(text), channel.voidPromise());
    }

    /** Flushes queued frames. */
    public void flush() {
        channel.flush();
    }

    /** Sends one text frame now. */
    public void send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
    }

    /** Whether the socket can take more writes without growing the outbound buffer past its high mark. */
    public boolean isWritable() {
        return channel.isWritable();
    }

    /** Closes the socket (no close handshake: a bench teardown of thousands of sockets should be quick). */
    public void close() {
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof PingWebSocketFrame ping) {
            // The gateway's heartbeat: a held connection must answer it like any client would.
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()), ctx.voidPromise());
            return;
        }
        if (frame instanceof CloseWebSocketFrame close) {
            closeCode = close.statusCode();
            return;
        }
        if (!(frame instanceof TextWebSocketFrame)) {
            return;
        }
        ByteBuf content = frame.content();
        switch (dialect.kind(content)) {
            case MESSAGE -> {
                long stamp = dialect.stamp(content);
                if (stamp >= 0) {
                    inbound.message(this, stamp);
                }
            }
            case REPLY -> inbound.reply(this, dialect.re(content), content);
            case WELCOME -> welcomed.complete(this);
            case OPEN -> send(dialect.afterOpen());
            case PING -> send(dialect.pong());
            case ERROR -> {
                if (!welcomed.isDone()) {
                    welcomed.completeExceptionally(new IOException("refused before welcome: "
                            + content.toString(java.nio.charset.StandardCharsets.UTF_8)));
                }
                inbound.error(this, dialect.re(content), content);
            }
            case OTHER -> {
                // presence, pong, chunk...: not measured
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!welcomed.isDone()) {
            welcomed.completeExceptionally(new IOException("closed before welcome"
                    + (closeCode >= 0 ? " (close code " + closeCode + ")" : "")));
        }
        inbound.closed(this);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!welcomed.isDone()) {
            welcomed.completeExceptionally(cause);
        }
        ctx.close();
    }
}
