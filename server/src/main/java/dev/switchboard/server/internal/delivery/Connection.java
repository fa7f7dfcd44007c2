package dev.switchboard.server.internal.delivery;

import dev.switchboard.server.internal.auth.Permissions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One live WebSocket: identity, subscriptions and the socket to write to. Kept small on purpose (a node
 * holds hundreds of thousands): optional state is allocated only when first used.
 */
public final class Connection {

    /** How long a close frame may take to be written before the socket is closed regardless. */
    static final long CLOSE_GRACE_MILLIS = 1000;

    private final String id;
    private final Channel channel;
    private final String endpoint;
    private final String sessionId;
    private final long connectedAt;
    private final long maxOutboundBytes;

    private volatile String user;
    private volatile Permissions permissions = Permissions.NONE;
    private volatile Map<String, Object> claims = Map.of();
    private volatile boolean identified;
    private volatile boolean closing;
    // Close codes fit in a short (1000–4999); with the byte below they keep the object at 128 bytes.
    private volatile short closeCode; // 0: closed by the client or the network
    private volatile String closeReason = "";
    /** The code of the client's close frame when it closed first (0: it did not send one). */
    private volatile short peerCloseCode;
    private volatile long lastSeen;
    /** When the connection's credential ends (ms since the epoch); 0 = never. */
    private volatile long expiresAt;
    /** When the expired credential was first handled (refresh asked); 0 = not expired or renewed since. */
    private volatile long expiredSince;
    /**
     * Whether pre-encoded frames can be written as they are: 0 not known yet, 1 yes, -1 no (a per-connection
     * extension encoder rewrites frames), {@link #EVENT_STREAM} never (frames become Server-Sent Events; set at
     * construction and never changed, so other threads may read it). Otherwise event loop only.
     */
    private byte rawFramesAllowed;
    private static final byte EVENT_STREAM = -2;
    /**
     * The WebSocket frame encoder's context, where pre-encoded frames enter the pipeline: they are bytes already,
     * so starting below the encoder skips its per-message type check and pass-through (a fan-out's hottest Java
     * frames in the profile). Frames written through the channel still pass the encoder in the same order: both
     * paths end, synchronously, in the one outbound buffer. Event loop only; null until the first raw write.
     */
    private ChannelHandlerContext rawWriteContext;
    /** Whether a coalesced flush is already queued for this connection; event loop only. */
    private boolean flushPending;
    /** Channels this connection is subscribed to; guarded by {@code this}; null until the first subscribe. */
    private Set<String> channels;
    /**
     * Traffic for the access log and the admin API: written on the event loop only; read there at close (exact),
     * or from other threads for a live view (a count may lag by a frame, which such a view tolerates).
     */
    private int framesIn;
    private int framesOut;
    private long bytesIn;
    private long bytesOut;
    /** The client's address when a trusted proxy named it (X-Forwarded-For); null: the socket's peer is. */
    private volatile String forwardedFor;

    /** Frames and bytes (payload) in each direction so far. */
    public record Traffic(int framesIn, long bytesIn, int framesOut, long bytesOut) {
    }

    public Connection(String id, Channel channel, String endpoint, String sessionId, long now, long maxOutboundBytes) {
        this(id, channel, endpoint, sessionId, now, maxOutboundBytes, false);
    }

    /** @param eventStream whether the connection is a Server-Sent Events stream (frames become events) */
    public Connection(String id, Channel channel, String endpoint, String sessionId, long now, long maxOutboundBytes,
                      boolean eventStream) {
        this.rawFramesAllowed = eventStream ? EVENT_STREAM : 0;
        this.id = id;
        this.channel = channel;
        this.endpoint = endpoint;
        this.sessionId = sessionId;
        this.connectedAt = now;
        this.lastSeen = now;
        this.maxOutboundBytes = maxOutboundBytes;
    }

    public String id() {
        return id;
    }

    public String endpoint() {
        return endpoint;
    }

    public String sessionId() {
        return sessionId;
    }

    /** The user id, or {@code null} before auth and for anonymous connections. */
    public String user() {
        return user;
    }

    public Permissions permissions() {
        return permissions;
    }

    public Map<String, Object> claims() {
        return claims;
    }

    /** Whether the connection has been welcomed (authenticated, or anonymous on an endpoint that allows it). */
    public boolean isIdentified() {
        return identified;
    }

    /** When the credential (ticket or hook decision) ends, ms since the epoch; 0 = never. */
    public long expiresAt() {
        return expiresAt;
    }

    /** When the expiry was first acted on (0 = not yet, or renewed since). */
    public long expiredSince() {
        return expiredSince;
    }

    /** Marks the expiry as being acted on at {@code now}; false when it already was. */
    public synchronized boolean markExpired(long now) {
        if (expiredSince != 0) {
            return false;
        }
        expiredSince = now;
        return true;
    }

    /** A renewed credential: new expiry (0 = never) and, when not null, new permissions. */
    public synchronized void renew(long expiresAt, Permissions permissions) {
        this.expiresAt = expiresAt;
        this.expiredSince = 0;
        if (permissions != null) {
            this.permissions = permissions;
        }
    }

    /** The client's IP address as text: a trusted proxy's X-Forwarded-For, else the peer's ("" when unknown). */
    public String remoteAddress() {
        String forwarded = forwardedFor;
        if (forwarded != null) {
            return forwarded;
        }
        return channel.remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "";
    }

    /** Records the client address a trusted proxy gave (kept only when it differs from the peer's). */
    public void clientAddress(String address) {
        if (address != null && !address.isEmpty() && !address.equals(remoteAddress())) {
            forwardedFor = address;
        }
    }

    /** "websocket" or "sse". */
    public String transportName() {
        return isEventStream() ? "sse" : "websocket";
    }

    /** Whether frames to this connection become Server-Sent Events. */
    public boolean isEventStream() {
        return rawFramesAllowed == EVENT_STREAM;
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

    public long connectedAt() {
        return connectedAt;
    }

    public long lastSeen() {
        return lastSeen;
    }

    /** Records inbound activity (any frame, including pong). */
    public void touch(long now) {
        lastSeen = now;
    }

    /** The Netty channel; for the transport layer and fan-out grouping by event loop. */
    public Channel channel() {
        return channel;
    }

    /** The code the server closed this connection with, or 0 when the client or the network closed it. */
    public int closeCode() {
        return closeCode;
    }

    /** The code of the client's own close frame when the client closed first; 0 when it did not. */
    public int peerCloseCode() {
        return peerCloseCode;
    }

    /** Records the client's close frame (it closed first). */
    public void peerClosed(int code) {
        if (!closing) {
            peerCloseCode = (short) code;
        }
    }

    /** The reason the server closed with ("" when the client or the network closed it). */
    public String closeReason() {
        return closeReason;
    }

    public boolean isOpen() {
        return !closing && channel.isActive();
    }

    void identify(String user, Permissions permissions, Map<String, Object> claims, long expiresAt) {
        this.expiresAt = expiresAt;
        this.user = user;
        this.permissions = permissions;
        this.claims = claims;
        this.identified = true;
    }

    synchronized boolean addChannel(String channel) {
        if (channels == null) {
            channels = new java.util.HashSet<>(4);
        }
        return channels.add(channel);
    }

    synchronized boolean removeChannel(String channel) {
        return channels != null && channels.remove(channel);
    }

    /** A snapshot of subscribed channels. */
    public synchronized Set<String> channels() {
        return channels == null ? Set.of() : Set.copyOf(channels);
    }

    public synchronized boolean isSubscribed(String channel) {
        return channels != null && channels.contains(channel);
    }

    /**
     * Queues a text frame without flushing; must run on the channel's event loop. Takes ownership of
     * {@code payload}. A connection whose unsent bytes pass the limit is a slow consumer and is closed
     * rather than allowed to grow the node's memory without bound.
     */
    void writeOnLoop(ByteBuf payload) {
        if (closing || !channel.isActive()) {
            payload.release();
            return;
        }
        if (isSlowConsumer()) {
            payload.release();
            close(dev.switchboard.protocol.CloseCodes.SLOW_CONSUMER, "slow consumer");
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
        if (closing || !channel.isActive()) {
            wire.release();
            return;
        }
        if (isSlowConsumer()) {
            wire.release();
            close(dev.switchboard.protocol.CloseCodes.SLOW_CONSUMER, "slow consumer");
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
    public void sendControl(io.netty.handler.codec.http.websocketx.WebSocketFrame frame) {
        if (closing || !channel.isActive()) {
            frame.release();
            return;
        }
        if (isSlowConsumer()) {
            frame.release();
            close(dev.switchboard.protocol.CloseCodes.SLOW_CONSUMER, "slow consumer");
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
        if (closing) {
            return;
        }
        closing = true;
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

    /** Whether the server has started closing this connection (inbound frames are then discarded). */
    public boolean isClosing() {
        return closing;
    }

    @Override
    public String toString() {
        return "Connection[" + id + " user=" + user + " endpoint=" + endpoint + "]";
    }
}
