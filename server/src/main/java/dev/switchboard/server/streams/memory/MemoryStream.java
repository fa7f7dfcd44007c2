package dev.switchboard.server.streams.memory;

import dev.switchboard.server.streams.AppendRules;
import dev.switchboard.server.streams.JsonBatches;
import dev.switchboard.server.streams.Producer;
import dev.switchboard.server.streams.ProducerState;
import dev.switchboard.server.streams.StreamAppend;
import dev.switchboard.server.streams.StreamAppended;
import dev.switchboard.server.streams.StreamAppended.Outcome;
import dev.switchboard.server.streams.StreamFork;
import dev.switchboard.server.streams.StreamLimits;
import dev.switchboard.server.streams.StreamMessage;
import dev.switchboard.server.streams.StreamOffsets;
import dev.switchboard.server.streams.StreamSpec;
import dev.switchboard.server.streams.StreamState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/** One stream of the memory store; every access holds its monitor. */
final class MemoryStream {

    /** Producer state older than this is forgotten (the protocol's recommendation for memory stores). */
    private static final long PRODUCER_TTL_MS = 7L * 24 * 3600 * 1000;

    final StreamSpec spec;
    final StreamFork fork;
    final long forkPosition;
    final String writer;
    private final long expiresAtMs;
    private final List<StreamMessage> messages = new ArrayList<>();
    long tail;
    long bytes;
    boolean closed;
    boolean softDeleted;
    int refCount;
    long lastAccess;
    private String lastStreamSeq;
    private Producer closedBy;
    private Map<String, ProducerState> producers;

    MemoryStream(StreamSpec spec, StreamFork fork, long forkPosition, String writer, long now) {
        this.spec = spec;
        this.fork = fork;
        this.forkPosition = forkPosition;
        this.writer = writer;
        this.tail = forkPosition;
        this.lastAccess = now;
        this.expiresAtMs = expiresAt(spec.expiresAt());
    }

    /** An unparseable expiry counts as already past (fail closed); the HTTP face refuses those anyway. */
    private static long expiresAt(String text) {
        if (text == null) {
            return Long.MAX_VALUE;
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                return Long.MIN_VALUE;
            }
        }
    }

    boolean expired(long now) {
        return now >= expiresAtMs || (spec.ttlSeconds() != null && now >= lastAccess + spec.ttlSeconds() * 1000);
    }

    StreamState state(String path) {
        return new StreamState(path, spec, tail, closed, softDeleted, fork, forkPosition);
    }

    /** Whether a create with this configuration is the same as the one that made this stream. */
    boolean sameConfiguration(StreamSpec requested, StreamFork requestedFork) {
        String type = requested.contentType() != null ? requested.contentType()
                : requestedFork != null ? spec.contentType() : StreamSpec.DEFAULT_CONTENT_TYPE;
        boolean forkMatches = requestedFork == null ? fork == null
                : fork != null && requestedFork.source().equals(fork.source())
                && (requestedFork.offset() == null || requestedFork.offset() == forkPosition)
                && requestedFork.subOffset() == fork.subOffset();
        return StreamSpec.mediaType(type).equals(StreamSpec.mediaType(spec.contentType()))
                && Objects.equals(requested.ttlSeconds(), spec.ttlSeconds())
                && Objects.equals(requested.expiresAt(), spec.expiresAt())
                && requested.closed() == closed
                && forkMatches;
    }

    void add(byte[] data) {
        tail = StreamOffsets.after(tail, data.length);
        messages.add(new StreamMessage(tail, data));
        bytes += data.length;
    }

    /** Copies this stream's own messages in (position, cap] into {@code out} within {@code budget}; the budget left. */
    int copyAfter(long position, long cap, int budget, List<StreamMessage> out) {
        int i = firstAfter(position);
        while (i < messages.size() && budget > 0) {
            StreamMessage m = messages.get(i++);
            if (m.end() > cap) {
                break;
            }
            if (!out.isEmpty() && m.data().length > budget) {
                return 0;
            }
            out.add(m);
            budget -= m.data().length;
        }
        return budget;
    }

    private int firstAfter(long position) {
        int lo = 0;
        int hi = messages.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (messages.get(mid).end() <= position) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Applies an append under the protocol's rules and the store's limits. */
    StreamAppended apply(StreamAppend append, StreamLimits limits, AtomicLong totalBytes, long now) {
        if (softDeleted) {
            return StreamAppended.of(Outcome.GONE);
        }
        Producer p = append.producer();
        ProducerState known = p == null ? null : producer(p.id(), now);
        AppendRules.Decision d = AppendRules.decide(
                new AppendRules.Facts(spec.contentType(), closed, closedBy, lastStreamSeq, known), append, now);
        if (d.outcome() != Outcome.APPENDED) {
            return new StreamAppended(d.outcome(), tail, closed, d.epoch(), d.seq(), d.received());
        }
        byte[] stored = append.data();
        if (stored.length > 0 && spec.json()) {
            try {
                stored = JsonBatches.encode(stored, false);
            } catch (JsonBatches.Refused e) {
                return StreamAppended.of(e.emptyArray() ? Outcome.EMPTY_ARRAY : Outcome.INVALID_JSON, tail, closed);
            }
        }
        if (bytes + stored.length > limits.streamBytes() || totalBytes.get() + stored.length > limits.totalBytes()) {
            return StreamAppended.of(Outcome.TOO_LARGE, tail, closed);
        }
        lastAccess = now;
        if (stored.length > 0) {
            add(stored);
            totalBytes.addAndGet(stored.length);
        }
        if (d.commit() != null) {
            producers.put(p.id(), d.commit());
        }
        if (append.seq() != null) {
            lastStreamSeq = append.seq();
        }
        if (append.close()) {
            closed = true;
            closedBy = p;
        }
        return new StreamAppended(Outcome.APPENDED, tail, closed, d.epoch(), d.seq(), 0);
    }

    private ProducerState producer(String id, long now) {
        if (producers == null) {
            producers = new HashMap<>(2);
        }
        producers.values().removeIf(s -> now - s.updatedAt() > PRODUCER_TTL_MS);
        return producers.get(id);
    }
}
