package dev.switchboard.server.internal.delivery;

import dev.switchboard.protocol.CloseCodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The writing half of a {@link Connection}: frames onto its socket under the slow-consumer bound, the coalesced
 * flush, the closing handshake, the traffic counts, and the connection's {@link Phase}.
 *
 * <p>A base class rather than a field of the connection on purpose: a node holds hundreds of thousands of
 * connections, and a second object per connection would cost its header and a reference each.
 *
 * <p>Concurrency: the phase is volatile and only moves forward (by compare-and-set); everything else here
 * (the write context, the pending flush, the counters) belongs to the channel's event loop.
 */
public abstract class ConnectionSocket {

    /** Where a connection is in its life; it only ever moves forward. */
    public enum Phase {
        /** Upgraded, not yet welcomed: the client must authenticate before the deadline. */
        CONNECTING,
        /** Welcomed (authenticated, or anonymous where allowed): reachable by user, channel and broadcast. */
        OPEN,
        /** The server started the closing handshake: inbound frames are discarded, nothing more is written. */
        CLOSING,
        /** The socket is gone and the connection has left every registry. */
        CLOSED
    }

    /** How long a close frame may take to be written before the socket is closed regardless. */
    static final long CLOSE_GRACE_MILLIS = 1000;

    private static final VarHandle PHASE;

    static {
        try {
            PHASE = MethodHandles.lookup().findVarHandle(ConnectionSocket.class, "phase", Phase.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final byte EVENT_STREAM = -2;

    private final Channel channel;
    private final long maxOutboundBytes;
    private volatile Phase phase = Phase.CONNECTING;
    // Close codes fit in a short (1000–4999); with the byte below they keep the connection at 128 bytes.
    private volatile short closeCode; // 0: closed by the client or the network
    /** The code of the client's close frame when it closed first (0: it did not send one). */
    private volatile short peerCloseCode;
    private volatile String closeReason = "";
    /**
     * Whether pre-encoded frames can be written as they are: 0 not known yet, 1 yes, -1 no (a per-connection
     * extension encoder rewrites frames), {@link #EVENT_STREAM} never (frames become Server-Sent Events; set at
     * construction and never changed, so other threads may read it).
     */
    private byte rawFramesAllowed;
    /**
     * The WebSocket frame encoder's context, where pre-encoded frames enter the pipeline: they are bytes already,
     * so starting below the encoder skips its per-message type check and pass-through (a fan-out's hottest Java
     * frames in the profile). Frames written through the channel still pass the encoder in the same order: both
     * paths end, synchronously, in the one outbound buffer. Null until the first raw write.
     */
    private ChannelHandlerContext rawWriteContext;
    /** Whether a coalesced flush is already queued for this connection. */
    private boolean flushPending;
    /** Traffic for the access log and the admin API; read from other threads as a live view that may lag a frame. */
    private int framesIn;
    private int framesOut;
    private long bytesIn;
    private long bytesOut;
    /** The client's address when a trusted proxy named it (X-Forwarded-For); null: the socket's peer is. */
    private volatile String forwardedFor;
    /** The application a protocol adapter put this connection in (a Pusher app's id); null for native ones. */
    private volatile String app;

    /** Frames and bytes (payload) in each direction so far. */
    public record Traffic(int framesIn, long bytesIn, int framesOut, long bytesOut) {
    }

    ConnectionSocket(Channel channel, long maxOutboundBytes, boolean eventStream) {
        this.channel = channel;
        this.maxOutboundBytes = maxOutboundBytes;
        this.rawFramesAllowed = eventStream ? EVENT_STREAM : 0;
    }

    // ---- phase ------------------------------------------------------------------------------------------

    public Phase phase() {
        return phase;
    }

    /** Moves from {@code from} to {@code to}; false when the connection was not in {@code from}. */
    final boolean advance(Phase from, Phase to) {
        return PHASE.compareAndSet(this, from, to);
    }

    /** Whether the connection has been welcomed and is not closing. */
    public boolean isIdentified() {
        Phase p = phase;
        return p == Phase.OPEN;
    }

    /** Whether the server has started closing this connection (inbound frames are then discarded). */
    public boolean isClosing() {
        return phase.compareTo(Phase.CLOSING) >= 0;
    }

    public boolean isOpen() {
        return !isClosing() && channel.isActive();
    }

    /** Marks the connection gone (it left the registries); false when it already was. */
    final boolean markClosed() {
        while (true) {
            Phase p = phase;
            if (p == Phase.CLOSED) {
                return false;
            }
            if (PHASE.compareAndSet(this, p, Phase.CLOSED)) {
                return true;
            }
        }
    }

    // ---- the socket -------------------------------------------------------------------------------------

    /** The Netty channel; for the transport layer and fan-out grouping by event loop. */
    public Channel channel() {
        return channel;
    }

    /** "websocket" or "sse". */
    public String transportName() {
        return isEventStream() ? "sse" : "websocket";
    }

    /** Whether frames to this connection become Server-Sent Events. */
    public boolean isEventStream() {
        return rawFramesAllowed == EVENT_STREAM;
    }

    /** The client's IP address as text: a trusted proxy's X-Forwarded-For, else the peer's ("" when unknown). */
    public String remoteAddress() {
        String forwarded = forwardedFor;
        if (forwarded != null) {
            return forwarded;
        }
        return channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "";
    }

    /** The application this connection belongs to, for logs and the admin: a Pusher app's id, or null. */
    public String app() {
        return app;
    }

    /** Set by a protocol adapter that serves several applications, once it knows which one this is. */
    public void app(String id) {
        this.app = id;
    }

    /** Records the client address a trusted proxy gave (kept only when it differs from the peer's). */
    public void clientAddress(String address) {
        if (address != null && !address.isEmpty() && !address.equals(remoteAddress())) {
            forwardedFor = address;
        }
    }

    /** Counts one inbound message of {@code bytes} payload bytes; event loop only. */
    public void countIn(int bytes) {
        framesIn++;
        bytesIn += bytes;
    }

    private void countOut(int bytes) {
        framesOut++;
        bytesOut += bytes;
    }

    /** The traffic so far (exact on the event loop, approximate elsewhere). */
    public Traffic traffic() {
        return new Traffic(framesIn, bytesIn, framesOut, bytesOut);
    }

    // ---- writing ----------------------------------------------------------------------------------------

    /**
     * Queues a text frame without flushing; must run on the channel's event loop. Takes ownership of
     * {@code payload}. A connection whose unsent bytes pass the limit is a slow consumer and is closed
     * rather than allowed to grow the node's memory without bound.
     */
    void writeOnLoop(ByteBuf payload) {
        if (!mayWrite()) {
            payload.release();
            return;
        }
        countOut(payload.readableBytes());
        channel.write(new TextWebSocketFrame(payload), channel.voidPromise());
    }

    /**
     * Queues a pre-encoded WebSocket frame shared with other recipients; must run on the channel's event loop.
     * Takes one reference of {@code wire} (released here or once written). A connection whose frames are
     * transformed per connection (a negotiated permessage-deflate extension) gets a frame object instead, so
     * its encoder still sees it.
     */
    void writeWireOnLoop(ByteBuf wire, int headerLength) {
        if (rawFramesAllowed == 0) {
            rawWriteContext = channel.pipeline().context(WebSocketFrameEncoder.class);
            rawFramesAllowed = (byte) (channel.pipeline().get(WebSocketExtensionEncoder.class) == null
                    && rawWriteContext != null ? 1 : -1);
        }
        if (rawFramesAllowed < 0) {
            writeOnLoop(wire.retainedSlice(wire.readerIndex() + headerLength, wire.readableBytes() - headerLength));
            wire.release();
            return;
        }
        if (!mayWrite()) {
            wire.release();
            return;
        }
        countOut(wire.readableBytes() - headerLength);
        rawWriteContext.write(wire.duplicate(), channel.voidPromise());
    }

    /** Flushes now what this connection has queued, a coalesced flush pending or not. Event loop only. */
    void flushNowOnLoop() {
        channel.flush();
    }

    /** Marks a coalesced flush as queued; false when one already was. Event loop only. */
    boolean markFlushPending() {
        if (flushPending) {
            return false;
        }
        flushPending = true;
        return true;
    }

    /** Called by the coalesced flush just before it flushes. Event loop only. */
    void clearFlushPending() {
        flushPending = false;
    }

    /** Whether a frame may be queued now; closes a slow consumer (and says no). Event loop only. */
    private boolean mayWrite() {
        if (isClosing() || !channel.isActive()) {
            return false;
        }
        if (isSlowConsumer()) {
            close(CloseCodes.SLOW_CONSUMER, "slow consumer");
            return false;
        }
        return true;
    }

    private boolean isSlowConsumer() {
        if (channel.isWritable()) {
            return false;
        }
        ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
        return pending != null && pending.totalPendingWriteBytes() > maxOutboundBytes;
    }

    /**
     * Answers a control request (a pong, the bare {@code pong} text) on the event loop, under the same outbound
     * limit as every other frame: a client that sends pings and never reads would otherwise grow the node's
     * memory with answers it does not take.
     */
    public void sendControl(WebSocketFrame frame) {
        if (!mayWrite()) {
            frame.release();
            return;
        }
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    /** Sends one frame now, from any thread. */
    public void send(byte[] frame) {
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        if (channel.eventLoop().inEventLoop()) {
            writeOnLoop(buf);
            channel.flush();
        } else {
            channel.eventLoop().execute(() -> {
                writeOnLoop(buf);
                channel.flush();
            });
        }
    }

    // ---- closing ----------------------------------------------------------------------------------------

    /** The code the server closed this connection with, or 0 when the client or the network closed it. */
    public int closeCode() {
        return closeCode;
    }

    /** The reason the server closed with ("" when the client or the network closed it). */
    public String closeReason() {
        return closeReason;
    }

    /** The code of the client's own close frame when the client closed first; 0 when it did not. */
    public int peerCloseCode() {
        return peerCloseCode;
    }

    /** Records the client's close frame (it closed first). */
    public void peerClosed(int code) {
        if (!isClosing()) {
            peerCloseCode = (short) code;
        }
    }

    /**
     * Starts the RFC 6455 closing handshake with {@code code}; idempotent, any thread. After the close frame
     * the server half-closes its side and keeps reading (and discarding) until the peer answers: closing a
     * TCP socket with unread input makes the kernel send RST, and the peer could lose the close frame, and
     * with it the reason. A peer that does not answer within {@link #CLOSE_GRACE_MILLIS} (or that stopped
     * reading, so the frame cannot even be written) is cut off.
     */
    public void close(int code, String reason) {
        if (!channel.eventLoop().inEventLoop()) {
            // On the loop, behind frames this thread sent before: closing here first would drop them unsent.
            channel.eventLoop().execute(() -> close(code, reason));
            return;
        }
        if (!startClosing()) {
            return;
        }
        closeCode = (short) code;
        closeReason = reason == null ? "" : reason;
        if (!channel.isActive()) {
            return;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(f -> {
            if (f.isSuccess() && channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                channel.close();
            }
        });
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** CONNECTING or OPEN → CLOSING; false when the connection is already closing or closed. */
    private boolean startClosing() {
        while (true) {
            Phase p = phase;
            if (p.compareTo(Phase.CLOSING) >= 0) {
                return false;
            }
            if (PHASE.compareAndSet(this, p, Phase.CLOSING)) {
                return true;
            }
        }
    }
}
