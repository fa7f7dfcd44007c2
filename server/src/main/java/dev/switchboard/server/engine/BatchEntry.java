package dev.switchboard.server.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Publication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** One publication of a {@link Broker#publishBatch batch}: its sender (or null), data and idempotency key (or null). */
public record BatchEntry(String from, JsonNode data, String idempotencyKey) {

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
