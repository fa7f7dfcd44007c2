package dev.switchboard.server.internal.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one encoded frame to many connections. The JSON is encoded once by the caller, and the WebSocket
 * frame around it is built once too ({@link WireFrame}): every recipient gets a reference-counted view of the
 * same direct buffer, so a delivery costs no allocation or copy of its own. Recipients are grouped by event
 * loop so each loop gets one task that writes to all of its connections. When publications queue up, the
 * flushes are coalesced per loop iteration ({@link PendingFlushes}), so a burst costs one syscall per connection,
 * not one per message; a lone publication is flushed as it is written.
 */
final class FanOut {

    private FanOut() {
    }

    static void write(Collection<Connection> recipients, byte[] frame) {
        if (recipients.isEmpty()) {
            return;
        }
        ByteBuf wire = WireFrame.text(frame, ByteBufAllocator.DEFAULT);
        int headerLength = WireFrame.headerLength(frame.length);
        Map<EventLoop, List<Connection>> byLoop = new IdentityHashMap<>(4);
        for (Connection c : recipients) {
            byLoop.computeIfAbsent(c.channel().eventLoop(), l -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<EventLoop, List<Connection>> group : byLoop.entrySet()) {
            List<Connection> conns = group.getValue();
            wire.retain(conns.size()); // one reference per recipient, released once written (or dropped)
            EventLoop loop = group.getKey();
            Runnable task = () -> {
                if (moreWorkQueued(loop)) {
                    for (Connection c : conns) {
                        c.writeWireOnLoop(wire, headerLength);
                    }
                    PendingFlushes.add(loop, conns);
                } else {
                    for (Connection c : conns) {
                        c.writeWireOnLoop(wire, headerLength);
                        c.flushNowOnLoop();
                    }
                }
            };
            // Always queued, never run inline even on the recipient's own loop: callers hand publications over
            // in offset order (under the engine's per-channel ordering), and an inline write from a loop thread
            // would overtake frames of earlier publications still queued on that loop.
            loop.execute(task);
        }
        wire.release();
    }

    /**
     * Whether other tasks wait behind this one on {@code loop}: a burst, where writing now and flushing once at
     * the end of the iteration saves a syscall per connection per queued publication. A lone publication is
     * flushed connection by connection as it is written instead, so the first recipients' bytes are on the wire
     * (and the receivers at work on them) while the rest are still being written (docs/benchmarks.md,
     * "Fan-out latency").
     */
    private static boolean moreWorkQueued(EventLoop loop) {
        return loop instanceof SingleThreadEventExecutor single && single.pendingTasks() > 0;
    }
}
