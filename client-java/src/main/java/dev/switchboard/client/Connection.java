package dev.switchboard.client;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;

/**
 * One WebSocket of a {@link SwitchboardClient}: reassembles text frames, writes through an {@link OutboundQueue},
 * and watches that the server stays audible. A new instance (a new {@link #generation}) per connection attempt,
 * so callbacks from an old socket can be told apart and ignored.
 */
final class Connection implements WebSocket.Listener {

    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    /** How long a client-initiated close waits for the server's close frame before dropping the socket. */
    private static final long CLOSE_GRACE_MILLIS = 1000;

    final long generation;
    private final SwitchboardClient client;
    private final long heartbeatMillis;
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile OutboundQueue out;
    private volatile long lastFrameNanos = System.nanoTime();
    private volatile ScheduledFuture<?> watchdog;

    Connection(SwitchboardClient client, long generation, long heartbeatMillis) {
        this.client = client;
        this.generation = generation;
        this.heartbeatMillis = heartbeatMillis;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        out = new OutboundQueue(webSocket);
        if (!client.onOpen(this)) {
            webSocket.abort(); // a stale attempt (the client closed or moved on meanwhile)
            return;
        }
        if (heartbeatMillis > 0) {
            // the server pings every ping-interval; hearing nothing for much longer means a dead peer that TCP
            // alone would not report for minutes (a half-open connection)
            watchdog = Timers.every(this::checkHeartbeat, Math.max(50, heartbeatMillis / 4));
        }
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        lastFrameNanos = System.nanoTime();
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            client.onFrame(this, text);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        lastFrameNanos = System.nanoTime(); // the protocol has no binary frames; ignore but count as life
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        lastFrameNanos = System.nanoTime(); // the JDK answers the ping with a pong by itself
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lastFrameNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        stopWatchdog();
        client.onDisconnected(generation, statusCode, reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        stopWatchdog();
        client.onDisconnected(generation, SwitchboardClient.ABNORMAL_CLOSURE, SwitchboardClient.describe(error));
    }

    /** Queues a frame; a failed write means the socket is dying, which {@link #onError} reports. */
    void send(String text) {
        out.sendText(text).exceptionally(error -> {
            LOG.log(System.Logger.Level.DEBUG, "frame not written: {0}", error.toString());
            return null;
        });
    }

    /** Sends a close frame after queued frames, and drops the socket if the server does not answer in time. */
    void close(int code, String reason) {
        stopWatchdog();
        out.sendClose(code, reason);
        Timers.schedule(socket::abort, CLOSE_GRACE_MILLIS);
    }

    /** Drops the socket at once (it is already dead or no longer wanted) and fails unwritten frames. */
    void abandon() {
        stopWatchdog();
        OutboundQueue queue = out;
        if (queue != null) {
            queue.abandon();
        }
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    private void checkHeartbeat() {
        long silentMillis = (System.nanoTime() - lastFrameNanos) / 1_000_000;
        if (silentMillis > heartbeatMillis) {
            stopWatchdog();
            client.onDisconnected(generation, SwitchboardClient.ABNORMAL_CLOSURE,
                    "heartbeat timeout: nothing from the server for " + silentMillis + " ms");
        }
    }

    private void stopWatchdog() {
        ScheduledFuture<?> w = watchdog;
        if (w != null) {
            w.cancel(false);
        }
    }
}
