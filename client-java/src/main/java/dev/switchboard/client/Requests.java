package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.MessageTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client's requests waiting for answers, by id: sending them (now, or once connected), time-outs,
 * cancellation, and routing correlated frames ({@code reply}, {@code error}, {@code chunk}, {@code end}) to
 * their sinks. Shares the {@link Lifecycle}'s lock, so a request is either sent on a connection or waits for
 * the next welcome, never lost in between.
 */
final class Requests {

    private final Lifecycle life;
    private final AtomicLong ids = new AtomicLong();
    /** The frame announcing a resumable reply's stream. */
    private static final String STREAM = "stream";

    private final Map<String, Pending> pending = new LinkedHashMap<>(); // guarded by life.lock

    Requests(Lifecycle life) {
        this.life = life;
    }

    String nextId() {
        return "j" + ids.incrementAndGet();
    }

    /** Sends {@code p} now if connected, else when the next connection is welcomed; fails it when closed. */
    void submit(Pending p, Duration timeout) {
        Connection conn;
        boolean closed;
        synchronized (life.lock) {
            closed = life.isClosedLocked();
            conn = null;
            if (!closed) {
                pending.put(p.id, p);
                conn = life.connectedLocked();
                p.sentOn = conn;
            }
        }
        if (closed) {
            p.sink.onError(new SwitchboardException(SwitchboardException.CLOSED, "the client is closed"));
            return;
        }
        if (timeout != null && !timeout.isZero() && !timeout.isNegative()) {
            p.timeout = Timers.schedule(() -> timeOut(p, timeout), timeout.toMillis());
        }
        if (conn != null) {
            conn.send(p.frame);
        }
    }

    /** Caller holds the lock. Tracks a request the caller sends on {@code conn} itself. */
    void trackLocked(Pending p, Connection conn) {
        p.sentOn = conn;
        pending.put(p.id, p);
    }

    private void timeOut(Pending p, Duration timeout) {
        synchronized (life.lock) {
            if (!pending.remove(p.id, p)) {
                return;
            }
        }
        p.sink.onError(new SwitchboardException(SwitchboardException.TIMEOUT,
                "no answer within " + timeout.toMillis() + " ms"));
    }

    /** Cancels a stream: a local end if it was never sent, else a {@code cancel} frame the server answers. */
    void cancel(String id) {
        Pending p;
        Connection conn = null;
        synchronized (life.lock) {
            p = pending.get(id);
            if (p == null) {
                return;
            }
            if (p.sentOn == null) {
                pending.remove(id);
            } else {
                conn = p.sentOn;
            }
        }
        if (conn == null) {
            p.sink.onEnd("cancelled");
        } else {
            conn.send(Wire.envelope(null, MessageTypes.CANCEL, Map.of("re", id)));
        }
    }

    /** A frame answering request {@code re}, on {@code conn}'s reader thread. */
    void onCorrelated(Connection conn, String type, String re, JsonNode frame) {
        boolean terminal = !MessageTypes.CHUNK.equals(type) && !STREAM.equals(type);
        Pending p;
        synchronized (life.lock) {
            p = pending.get(re);
            if (p == null || p.sentOn != conn) {
                return; // timed out, cancelled locally, or an answer to another connection's request
            }
            if (terminal) {
                pending.remove(re);
            }
        }
        if (terminal) {
            p.cancelTimeout();
        }
        if (p.resumable) {
            p.locate(frame);
        }
        switch (type) {
            case STREAM -> { } // a resumable reply's announcement: its stream is located above
            case MessageTypes.REPLY -> p.sink.onReply(frame.path("data"));
            case MessageTypes.ERROR -> p.sink.onError(Wire.error(frame));
            case MessageTypes.CHUNK -> p.sink.onChunk(frame.path("data"));
            case MessageTypes.END -> p.sink.onEnd(Wire.text(frame, "reason"));
            default -> p.sink.onError(new SwitchboardException("bad_reply", "unexpected frame type " + type));
        }
    }

    /** Caller holds the lock. The frames of requests that waited for a connection, now sent on {@code conn}. */
    void sendWaitingLocked(Connection conn, List<String> frames) {
        for (Pending p : pending.values()) {
            if (p.sentOn == null) {
                p.sentOn = conn;
                frames.add(p.frame);
            }
        }
    }

    /**
     * Caller holds the lock. A connection ended: requests sent on it are answered nowhere now, so they leave
     * (to be failed); unsent ones keep waiting if {@code reconnecting}.
     */
    List<Pending> detachLocked(boolean reconnecting) {
        List<Pending> orphans = new ArrayList<>();
        List<Pending> resumed = new ArrayList<>();
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.sentOn != null && reconnecting && p.resumable && p.stream != null) {
                it.remove(); // a resumable reply goes on: resumed from its offset on the next connection
                resumed.add(p.resumedAs(nextId()));
            } else if (p.sentOn != null || !reconnecting) {
                it.remove();
                orphans.add(p);
            }
        }
        resumed.forEach(p -> pending.put(p.id, p));
        return orphans;
    }

    static void fail(List<Pending> requests, SwitchboardException error) {
        for (Pending p : requests) {
            p.cancelTimeout();
            p.sink.onError(error);
        }
    }
}
