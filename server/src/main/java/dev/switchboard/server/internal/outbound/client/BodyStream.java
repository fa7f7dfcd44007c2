package dev.switchboard.server.internal.outbound.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A streamed answer's body between the event loop that receives it and the (virtual) thread that reads it.
 * Bounded: past {@link #HIGH_WATER} unread bytes the connection stops reading from the socket (TCP pushes back
 * on the backend) and resumes below {@link #LOW_WATER}, so a fast backend and a slow client never make the
 * gateway buffer a whole answer.
 */
final class BodyStream extends InputStream {

    static final int HIGH_WATER = 64 * 1024;
    static final int LOW_WATER = 16 * 1024;

    /** What the reader's side asks of the connection's side. */
    interface Source {
        /** The reader drained below the low water mark: read from the socket again. */
        void resume();

        /** The reader closed the body before its end: abort the exchange. */
        void abort();
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final Source source;
    private byte[] current;
    private int pos;
    private int buffered;
    private boolean ended;
    private boolean paused;
    private boolean closed;
    private IOException failure;

    BodyStream(Source source) {
        this.source = source;
    }

    /** From the event loop: more of the body; returns whether the connection should stop reading for now. */
    boolean offer(byte[] chunk) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            chunks.add(chunk);
            buffered += chunk.length;
            readable.signal();
            paused = buffered > HIGH_WATER;
            return paused;
        } finally {
            lock.unlock();
        }
    }

    /** From the event loop: the body is complete. */
    void end() {
        finish(null);
    }

    /** From the event loop: the body broke off. */
    void fail(IOException e) {
        finish(e);
    }

    private void finish(IOException e) {
        lock.lock();
        try {
            if (!ended) {
                ended = true;
                failure = e;
                readable.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        boolean resume = false;
        int n;
        lock.lock();
        try {
            while (current == null || pos == current.length) {
                if (closed) {
                    throw new IOException("body closed");
                }
                current = chunks.poll();
                pos = 0;
                if (current != null) {
                    continue;
                }
                if (ended) {
                    if (failure != null) {
                        throw failure;
                    }
                    return -1;
                }
                readable.awaitUninterruptibly();
            }
            n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            buffered -= n;
            if (paused && buffered < LOW_WATER) {
                paused = false;
                resume = true;
            }
        } finally {
            lock.unlock();
        }
        if (resume) {
            source.resume();
        }
        return n;
    }

    @Override
    public void close() {
        boolean abort;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            abort = !ended;
            chunks.clear();
            readable.signalAll();
        } finally {
            lock.unlock();
        }
        if (abort) {
            source.abort();
        }
    }
}
