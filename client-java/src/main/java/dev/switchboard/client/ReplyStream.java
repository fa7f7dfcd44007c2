package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * A streamed reply: the {@code chunk} frames of one request, then its {@code end}.
 *
 * <p>Consume it either with the chunk callback given to {@link SwitchboardClient#stream(String, Object, Consumer)}
 * or, for a stream opened without one, by iterating: {@link #iterator()} blocks until the next chunk (run it on a
 * virtual thread) and ends after the last; a failed stream throws its {@link SwitchboardException} from
 * {@code hasNext()}. Without a callback every chunk is buffered until iterated, so do iterate.
 */
public final class ReplyStream implements Iterable<JsonNode> {

    private static final Object END = new Object();

    private final Requests client;
    private volatile String id;
    private volatile String stream;
    private volatile String offset;
    private final Consumer<JsonNode> onChunk;
    private final LinkedBlockingQueue<Object> chunks;
    private final CompletableFuture<String> completion = new CompletableFuture<>();
    private boolean iterated;

    ReplyStream(Requests client, String id, Consumer<JsonNode> onChunk) {
        this.client = client;
        this.id = id;
        this.onChunk = onChunk;
        this.chunks = onChunk == null ? new LinkedBlockingQueue<>() : null;
    }

    /** The request id (the {@code re} of the chunks); a resumed reply's latest. */
    public String id() {
        return id;
    }

    /** A resumable reply's stream ({@code replies/ID}), once the gateway announced it; null otherwise. */
    public String stream() {
        return stream;
    }

    /** A resumable reply's offset after the last chunk: where {@link SwitchboardClient#resume} continues. */
    public String offset() {
        return offset;
    }

    /**
     * Completes when the stream ends, with the server's end {@code reason} ({@code null} for a normal end,
     * {@code "cancelled"} after {@link #cancel()}), or fails with a {@link SwitchboardException}. With a chunk
     * callback it completes after the last callback has run.
     */
    public CompletableFuture<String> completion() {
        return completion.copy(); // callers cannot complete ours
    }

    /** Asks the server to stop ({@code {"type":"cancel","data":{"re":id}}}); the stream then ends with "cancelled". */
    public void cancel() {
        client.cancel(id);
    }

    @Override
    public synchronized Iterator<JsonNode> iterator() {
        if (chunks == null) {
            throw new IllegalStateException("this stream delivers to its chunk callback; it cannot be iterated");
        }
        if (iterated) {
            throw new IllegalStateException("a stream can be iterated once");
        }
        iterated = true;
        return new Iterator<>() {
            private Object next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = chunks.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SwitchboardException(SwitchboardException.CLOSED, "interrupted while waiting for a chunk");
                    }
                }
                if (next == END) {
                    chunks.add(END); // stay at the end for further hasNext() calls
                    return false;
                }
                if (next instanceof SwitchboardException error) {
                    chunks.add(error);
                    throw error;
                }
                return true;
            }

            @Override
            public JsonNode next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                JsonNode chunk = (JsonNode) next;
                next = null;
                return chunk;
            }
        };
    }

    /** Everything the client tells a stream, on the reader thread. */
    Pending.Sink sink(java.util.concurrent.Executor callbacks) {
        return new Pending.Sink() {
            @Override
            public void onReply(JsonNode data) {
                // a handler that answered with a single reply instead of streaming: one chunk, then the end
                onChunk(data);
                onEnd(null);
            }

            @Override
            public void onChunk(JsonNode data) {
                if (chunks != null) {
                    chunks.add(data);
                } else {
                    callbacks.execute(() -> onChunk.accept(data));
                }
            }

            @Override
            public void onEnd(String reason) {
                if (chunks != null) {
                    chunks.add(END);
                    completion.complete(reason);
                } else {
                    callbacks.execute(() -> completion.complete(reason));
                }
            }

            @Override
            public void onLocated(String where, String at) {
                stream = where;
                offset = at;
            }

            @Override
            public void onResumed(String newId) {
                id = newId;
            }

            @Override
            public void onError(SwitchboardException error) {
                if (chunks != null) {
                    chunks.add(error);
                    completion.completeExceptionally(error);
                } else {
                    callbacks.execute(() -> completion.completeExceptionally(error));
                }
            }
        };
    }
}
