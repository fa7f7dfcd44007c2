package dev.switchboard.server.streams.memory;

import dev.switchboard.server.streams.ForkExpiry;

import dev.switchboard.server.streams.JsonBatches;
import dev.switchboard.server.streams.StreamAppend;
import dev.switchboard.server.streams.StreamAppended;
import dev.switchboard.server.streams.StreamAppended.Outcome;
import dev.switchboard.server.streams.StreamChunk;
import dev.switchboard.server.streams.StreamCreated;
import dev.switchboard.server.streams.StreamFork;
import dev.switchboard.server.streams.StreamLimits;
import dev.switchboard.server.streams.StreamMessage;
import dev.switchboard.server.streams.StreamOffsets;
import dev.switchboard.server.streams.StreamSpec;
import dev.switchboard.server.streams.StreamState;
import dev.switchboard.server.streams.StreamStore;
import dev.switchboard.server.streams.StreamTails;
import dev.switchboard.server.streams.SubOffsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one-node store: each stream a list of messages in this process, bounded per stream, per node, in count
 * and per writer. Expiry is checked on every access (an expired stream is gone at once) and swept every few
 * seconds, so streams nobody touches again still free their memory. Each stream is one monitor: creates,
 * appends (producer validation, sequence checks and the write together), closes and reads of one stream are
 * serialized, different streams never wait for each other.
 */
public final class MemoryStreamStore implements StreamStore {

    private final ConcurrentHashMap<String, MemoryStream> streams = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> perWriter = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();
    private final StreamTails tails = new StreamTails();
    private final StreamLimits limits;
    private final Clock clock;
    private final ScheduledExecutorService sweeper;

    public MemoryStreamStore(StreamLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "streams-expiry");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 5, 5, TimeUnit.SECONDS);
    }

    @Override
    public StreamTails tails() {
        return tails;
    }

    /** Streams held (soft-deleted ones included) and their bytes, for metrics and tests. */
    public int size() {
        return streams.size();
    }

    public long bytes() {
        return totalBytes.get();
    }

    // ---- create ---------------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<StreamCreated> create(String path, StreamSpec spec, byte[] initial, StreamFork fork,
                                                   String writer) {
        return CompletableFuture.completedFuture(createNow(path, spec, initial, fork, writer));
    }

    private StreamCreated createNow(String path, StreamSpec spec, byte[] initial, StreamFork fork, String writer) {
        long now = clock.millis();
        MemoryStream existing = live(path, now);
        if (existing != null) {
            synchronized (existing) {
                if (existing.softDeleted) {
                    return StreamCreated.of(StreamCreated.Outcome.CONFLICT);
                }
                return existing.sameConfiguration(spec, fork)
                        ? new StreamCreated(StreamCreated.Outcome.EXISTS, existing.state(path))
                        : StreamCreated.of(StreamCreated.Outcome.CONFLICT);
            }
        }
        if (streams.size() >= limits.streams()) {
            return StreamCreated.of(StreamCreated.Outcome.TOO_MANY);
        }
        AtomicInteger mine = writer == null ? null : perWriter.computeIfAbsent(writer, w -> new AtomicInteger());
        if (mine != null && mine.get() >= limits.streamsPerWriter()) {
            return StreamCreated.of(StreamCreated.Outcome.TOO_MANY);
        }
        MemoryStream source = null;
        StreamSpec resolved = spec;
        long forkPosition = StreamOffsets.START;
        byte[] inheritedPrefix = null;
        if (fork != null) {
            source = live(fork.source(), now);
            if (source == null) {
                return StreamCreated.of(StreamCreated.Outcome.SOURCE_NOT_FOUND);
            }
            synchronized (source) {
                if (source.softDeleted) {
                    return StreamCreated.of(StreamCreated.Outcome.SOURCE_GONE);
                }
                String sourceType = source.spec.contentType();
                if (spec.contentType() != null
                        && !StreamSpec.mediaType(spec.contentType()).equals(StreamSpec.mediaType(sourceType))) {
                    return StreamCreated.of(StreamCreated.Outcome.CONTENT_TYPE_MISMATCH);
                }
                forkPosition = fork.offset() == null ? source.tail : fork.offset();
                if (forkPosition > source.tail) {
                    return StreamCreated.of(StreamCreated.Outcome.BAD_FORK_OFFSET);
                }
                if (fork.subOffset() > 0) {
                    inheritedPrefix = subOffsetPrefix(source, forkPosition, fork.subOffset());
                    if (inheritedPrefix == null) {
                        return StreamCreated.of(StreamCreated.Outcome.BAD_SUB_OFFSET);
                    }
                }
                resolved = ForkExpiry.resolve(spec, source.spec, sourceType);
                source.refCount++;
            }
        }
        MemoryStream created = new MemoryStream(resolved, fork, forkPosition, writer, now);
        if (inheritedPrefix != null && inheritedPrefix.length > 0) {
            created.add(inheritedPrefix);
        }
        if (initial != null && initial.length > 0) {
            byte[] stored = initial;
            if (resolved.json()) {
                try {
                    stored = JsonBatches.encode(initial, true);
                } catch (JsonBatches.Refused e) {
                    release(source);
                    return StreamCreated.of(StreamCreated.Outcome.INVALID_JSON);
                }
            }
            if (stored.length > limits.streamBytes() || totalBytes.get() + stored.length > limits.totalBytes()) {
                release(source);
                return StreamCreated.of(StreamCreated.Outcome.TOO_LARGE);
            }
            if (stored.length > 0) {
                created.add(stored);
            }
        }
        created.closed = resolved.closed();
        MemoryStream raced = streams.putIfAbsent(path, created);
        if (raced != null) {
            release(source);
            return createNow(path, spec, initial, fork, writer); // someone else created it first: compare with theirs
        }
        totalBytes.addAndGet(created.bytes);
        if (mine != null) {
            mine.incrementAndGet();
        }
        tails.changed(path);
        synchronized (created) {
            return new StreamCreated(StreamCreated.Outcome.CREATED, created.state(path));
        }
    }

    private void release(MemoryStream source) {
        if (source != null) {
            synchronized (source) {
                source.refCount--;
            }
        }
    }

    /** The first {@code n} values (JSON) or bytes of the source's message after {@code position}, or null. */
    private byte[] subOffsetPrefix(MemoryStream source, long position, long n) {
        return SubOffsets.prefix(source.spec, readChain(source, position, Long.MAX_VALUE, 1), n);
    }

    // ---- append, close, delete ------------------------------------------------------------------------------

    @Override
    public CompletableFuture<StreamAppended> append(String path, StreamAppend append) {
        long now = clock.millis();
        MemoryStream stream = live(path, now);
        if (stream == null) {
            return CompletableFuture.completedFuture(StreamAppended.of(Outcome.NOT_FOUND));
        }
        StreamAppended result;
        synchronized (stream) {
            result = stream.apply(append, limits, totalBytes, now);
        }
        if (result.outcome() == Outcome.APPENDED) {
            tails.changed(path);
        }
        return CompletableFuture.completedFuture(result);
    }

    @Override
    public CompletableFuture<Outcome> delete(String path) {
        MemoryStream stream = live(path, clock.millis());
        if (stream == null) {
            return CompletableFuture.completedFuture(Outcome.NOT_FOUND);
        }
        synchronized (stream) {
            if (stream.softDeleted) {
                return CompletableFuture.completedFuture(Outcome.GONE);
            }
            if (stream.refCount > 0) {
                stream.softDeleted = true; // its forks still read through it
                tails.changed(path);
                return CompletableFuture.completedFuture(Outcome.APPENDED);
            }
        }
        remove(path, stream);
        return CompletableFuture.completedFuture(Outcome.APPENDED);
    }

    /** Removes a stream for good, and with it any soft-deleted source only it still held. */
    private void remove(String path, MemoryStream stream) {
        if (!streams.remove(path, stream)) {
            return;
        }
        totalBytes.addAndGet(-stream.bytes);
        if (stream.writer != null) {
            perWriter.computeIfPresent(stream.writer, (w, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
        tails.changed(path);
        StreamFork fork = stream.fork;
        if (fork != null) {
            MemoryStream source = streams.get(fork.source());
            if (source != null) {
                boolean orphaned;
                synchronized (source) {
                    source.refCount = Math.max(0, source.refCount - 1);
                    orphaned = source.refCount == 0 && source.softDeleted;
                }
                if (orphaned) {
                    remove(fork.source(), source);
                }
            }
        }
    }

    // ---- state and reads ------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<StreamState> state(String path, boolean touch) {
        long now = clock.millis();
        MemoryStream stream = live(path, now);
        if (stream == null) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (stream) {
            if (touch && !stream.softDeleted) {
                stream.lastAccess = now;
            }
            return CompletableFuture.completedFuture(stream.state(path));
        }
    }

    @Override
    public CompletableFuture<StreamChunk> read(String path, long position) {
        long now = clock.millis();
        MemoryStream stream = live(path, now);
        if (stream == null) {
            return CompletableFuture.completedFuture(null);
        }
        StreamState state;
        synchronized (stream) {
            if (!stream.softDeleted) {
                stream.lastAccess = now;
            }
            state = stream.state(path);
        }
        List<StreamMessage> messages = readChain(stream, position, Long.MAX_VALUE, limits.readBytes());
        long next = messages.isEmpty() ? state.tail() : messages.get(messages.size() - 1).end();
        return CompletableFuture.completedFuture(new StreamChunk(messages, state, next >= state.tail()));
    }

    /**
     * The messages of {@code stream} after {@code position} and up to {@code cap} (inclusive), its sources' first
     * where the position is before its fork point, within {@code budget} bytes (at least one message).
     */
    private List<StreamMessage> readChain(MemoryStream stream, long position, long cap, int budget) {
        List<StreamMessage> out = new ArrayList<>();
        collect(stream, position, cap, budget, out);
        return out;
    }

    private int collect(MemoryStream stream, long position, long cap, int budget, List<StreamMessage> out) {
        StreamFork fork;
        long forkPosition;
        synchronized (stream) {
            fork = stream.fork;
            forkPosition = stream.forkPosition;
        }
        if (fork != null && position < forkPosition) {
            MemoryStream source = streams.get(fork.source()); // soft-deleted sources are read through
            if (source != null) {
                budget = collect(source, position, Math.min(cap, forkPosition), budget, out);
                if (budget <= 0) {
                    return budget;
                }
            }
        }
        synchronized (stream) {
            return stream.copyAfter(position, cap, budget, out);
        }
    }

    // ---- expiry ---------------------------------------------------------------------------------------------

    /** The stream at {@code path} unless it expired (an expired one with forks becomes soft-deleted). */
    private MemoryStream live(String path, long now) {
        MemoryStream stream = streams.get(path);
        if (stream == null) {
            return null;
        }
        boolean gone;
        synchronized (stream) {
            if (!stream.expired(now)) {
                return stream;
            }
            if (stream.refCount > 0) {
                stream.softDeleted = true;
                return stream;
            }
            gone = true;
        }
        if (gone) {
            remove(path, stream);
        }
        return null;
    }

    private void sweep() {
        long now = clock.millis();
        for (String path : List.copyOf(streams.keySet())) {
            live(path, now);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
