package dev.switchboard.server.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Publication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One publication of a {@link Broker#publishBatch batch}: its sender (or null), data, idempotency key (or null)
 * and producer sequence (or null).
 *
 * @param sequence where the publication stands in its producer's sequence (a Kafka partition's offsets): one
 *                 whose number is not above the producer's last in this channel is a repeat, answered with the
 *                 producer's last publication and neither stored nor delivered. The engine keeps one fence per
 *                 producer and channel for as long as the channel's counter lives — not a key per
 *                 publication, which at tens of thousands of records a second would fill the heap (or Redis)
 *                 within the idempotency window.
 */
public record BatchEntry(String from, JsonNode data, String idempotencyKey, Sequence sequence) {

    /** A producer's sequence number: increasing, with gaps allowed, per producer. */
    public record Sequence(String producer, long number) {
    }

    /** An entry without a producer sequence. */
    public BatchEntry(String from, JsonNode data, String idempotencyKey) {
        this(from, data, idempotencyKey, null);
    }

    /**
     * A batch published entry by entry through {@code publish} (issued in order, so an engine that keeps
     * the order of its commands keeps theirs), completing with every publication in order.
     */
    public static CompletableFuture<List<Publication>> oneByOne(List<BatchEntry> entries,
                                                               Function<BatchEntry, CompletableFuture<Publication>> publish) {
        List<CompletableFuture<Publication>> each = new ArrayList<>(entries.size());
        for (BatchEntry e : entries) {
            each.add(publish.apply(e));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
    }
}
