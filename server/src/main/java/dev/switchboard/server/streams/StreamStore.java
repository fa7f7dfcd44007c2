package dev.switchboard.server.streams;

import java.util.concurrent.CompletableFuture;

/**
 * Where Durable Streams live: append-only byte streams addressed by path, with offsets, closure, forks,
 * idempotent producers and expiry. The HTTP protocol face and resumable replies are both built on it. The
 * memory store serves one node; the Redis store a cluster (any node reads and appends to any stream, and a
 * stream outlives the node that wrote it). Every answer is asynchronous; a store that cannot reach its
 * storage fails the future with {@link dev.switchboard.server.engine.EngineUnavailableException}.
 */
public interface StreamStore extends AutoCloseable {

    /** Creates {@code path} (or confirms it, idempotently); {@code writer} counts against its stream limit. */
    CompletableFuture<StreamCreated> create(String path, StreamSpec spec, byte[] initial, StreamFork fork, String writer);

    /** Appends to (and/or closes) {@code path}. */
    CompletableFuture<StreamAppended> append(String path, StreamAppend append);

    /** Deletes {@code path}: NOT_FOUND, GONE (already soft-deleted), or APPENDED meaning done. */
    CompletableFuture<StreamAppended.Outcome> delete(String path);

    /** The stream's state, or null when there is none; {@code touch} renews its idle TTL (reads do, HEAD does not). */
    CompletableFuture<StreamState> state(String path, boolean touch);

    /** The messages after {@code position} (a read; renews the idle TTL), or null when there is no stream. */
    CompletableFuture<StreamChunk> read(String path, long position);

    /** Where live readers wait for changes. */
    StreamTails tails();

    /** Whether the store can serve (Redis reachable). */
    default boolean isReady() {
        return true;
    }

    @Override
    void close();
}
