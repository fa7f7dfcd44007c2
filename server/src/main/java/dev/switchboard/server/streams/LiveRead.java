package dev.switchboard.server.streams;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Follows one stream from a position for a live reader (an SSE response, a WebSocket {@code resume}): reads,
 * hands the chunk over, reads again at once while there is more, and otherwise waits for the stream's next
 * change. Changes that arrive during a read are not lost: they cause one more read after it, however many
 * there were, and reads never overlap, so the reader sees chunks one at a time and in order.
 */
public final class LiveRead {

    /** What the reader does with each chunk. */
    public interface Reader {

        /** The next chunk (possibly empty, when woken without news); false stops the read. */
        boolean chunk(StreamChunk chunk);

        /** The stream is gone (deleted, expired), or the store failed: the read is over. */
        void ended(Throwable failure);
    }

    private final StreamStore store;
    private final String path;
    private final Reader reader;
    private final AtomicInteger signals = new AtomicInteger();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile long position;
    private volatile boolean held;
    private StreamTails.Watch watch;

    public LiveRead(StreamStore store, String path, long position, Reader reader) {
        this.store = store;
        this.path = path;
        this.position = position;
        this.reader = reader;
    }

    /** Starts following: the first read now, the next ones on changes and {@link #poke}s. */
    public LiveRead start() {
        watch = store.tails().watch(path, this::poke);
        poke();
        return this;
    }

    /** Reads again (the reader's own timers use it, e.g. after its socket drained). */
    public void poke() {
        if (!stopped.get() && signals.getAndIncrement() == 0) {
            drain(1);
        }
    }

    /** The position after the last chunk handed over. */
    public long position() {
        return position;
    }

    /**
     * Called from {@link Reader#chunk}: read no further until the next {@link #poke} (a reader whose socket is
     * full holds, and pokes once it drained; changes meanwhile are not lost, the poke reads them).
     */
    public void hold() {
        held = true;
    }

    public boolean stopped() {
        return stopped.get();
    }

    public void stop() {
        if (stopped.compareAndSet(false, true) && watch != null) {
            watch.close();
        }
    }

    private void drain(int missed) {
        if (stopped.get()) {
            return;
        }
        store.read(path, position).whenComplete((chunk, e) -> {
            if (stopped.get()) {
                return;
            }
            if (e != null || chunk == null || chunk.state().softDeleted()) {
                stop();
                reader.ended(e);
                return;
            }
            if (position > chunk.state().tail()) {
                stop();
                reader.ended(new StreamGapException(path, position, chunk.state().tail()));
                return;
            }
            if (!chunk.messages().isEmpty()) {
                position = chunk.messages().get(chunk.messages().size() - 1).end();
            }
            if (!reader.chunk(chunk)) {
                stop();
                return;
            }
            if (held) {
                held = false;
                signals.set(0);
                return;
            }
            if (!chunk.upToDate()) {
                drain(missed);
                return;
            }
            int left = signals.addAndGet(-missed);
            if (left != 0) {
                drain(left);
            }
        });
    }
}
