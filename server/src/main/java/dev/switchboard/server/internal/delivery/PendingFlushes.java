package dev.switchboard.server.internal.delivery;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;

/**
 * Flush coalescing per event loop. Fan-out tasks only write; the connections they wrote to are flushed once,
 * after every task of the current event-loop iteration has run. When publications arrive faster than one at a
 * time, a connection then gets one syscall for all of its queued messages instead of one per message; when
 * they arrive one at a time, the flush happens at the end of the same iteration, so latency does not grow.
 * Lives on the event-loop thread only: no locks.
 */
final class PendingFlushes implements Runnable {

    private static final FastThreadLocal<PendingFlushes> ON_THIS_LOOP = new FastThreadLocal<>() {
        @Override
        protected PendingFlushes initialValue() {
            return new PendingFlushes();
        }
    };

    private final List<Connection> dirty = new ArrayList<>();
    private boolean scheduled;

    private PendingFlushes() {
    }

    /** Marks {@code written} for flushing at the end of this iteration of {@code loop}; call on that loop. */
    static void add(EventLoop loop, List<Connection> written) {
        PendingFlushes pending = ON_THIS_LOOP.get();
        for (Connection c : written) {
            if (c.markFlushPending()) {
                pending.dirty.add(c);
            }
        }
        if (!pending.scheduled && !pending.dirty.isEmpty()) {
            pending.scheduled = true;
            if (loop instanceof SingleThreadEventLoop single) {
                single.executeAfterEventLoopIteration(pending);
            } else {
                loop.execute(pending);
            }
        }
    }

    @Override
    public void run() {
        scheduled = false;
        for (Connection c : dirty) {
            c.clearFlushPending();
            c.channel().flush();
        }
        dirty.clear();
    }
}
