package dev.switchboard.server.bridge.kafka;

import dev.switchboard.server.bridge.BridgeContext;
import dev.switchboard.server.engine.BatchEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One partition's records into channels. Each poll's records of the partition are one batch: mapped (on the
 * consumer's thread when nothing of the partition is in flight, else on a worker thread after the batch
 * before it), grouped by channel (each channel's in offset order) and published with
 * one engine call per channel ({@link BridgeContext#publishBatch}: one Redis script, one memory-engine lock),
 * each publication keyed {@code topic/partition/offset}. Batches of a partition run one after the other, the
 * next when the previous is stored, so a channel sees the partition's order; partitions run side by side.
 * After a failed batch, the batches queued behind it publish nothing: the consumer seeks back to the failed
 * record and everything from there is read again (and recognised by its key where it was stored).
 */
final class PartitionWorker {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PartitionWorker.class);

    /** What the worker needs of the ingest around it. */
    interface Ingest {
        /** The routes' mapping of one record, or empty when it is skipped (counted, dead-lettered). */
        List<ConsumeRoute.Mapped> map(ConsumerRecord<byte[], byte[]> record);

        /** The publications of {@code records} into one channel were stored, or failed. */
        void published(String topic, List<ConsumerRecord<byte[], byte[]>> records, boolean failed);
    }

    private final PartitionProgress progress;
    private final BridgeContext context;
    private final Ingest ingest;
    private final Executor executor;
    private final BooleanSupplier assigned;
    /** The last batch queued; only the consumer's thread touches it. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    /** @param assigned whether the partition is still this node's (a revoked partition's queue publishes nothing) */
    PartitionWorker(PartitionProgress progress, BridgeContext context, Ingest ingest, Executor executor,
                    BooleanSupplier assigned) {
        this.progress = progress;
        this.context = context;
        this.ingest = ingest;
        this.executor = executor;
        this.assigned = assigned;
    }

    /** From the consumer's thread: the partition's records of one poll, in offset order. */
    void submit(List<ConsumerRecord<byte[], byte[]>> records) {
        int gen = progress.generation();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            progress.begin(r.offset()); // counted in flight at once: back-pressure sees the queue
        }
        if (tail.isDone()) {
            // Nothing of this partition in flight (always so on the memory engine, which stores synchronously):
            // publish right here, without a hand-off to a worker thread.
            tail = publishOrFail(records, gen);
        } else {
            tail = tail.thenComposeAsync(v -> publishOrFail(records, gen), executor);
        }
    }

    /**
     * {@link #publish}, never failing: an unexpected error fails the batch's records (the consumer seeks back to
     * them) instead of leaving them in flight forever, and the partition's queue goes on.
     */
    private CompletableFuture<Void> publishOrFail(List<ConsumerRecord<byte[], byte[]>> records, int gen) {
        try {
            return publish(records, gen);
        } catch (RuntimeException e) {
            log.warn("publishing a batch of {} failed unexpectedly; it is read again", records.get(0).topic(), e);
            records.forEach(r -> progress.done(gen, r.offset(), true));
            ingest.published(records.get(0).topic(), records, true);
            return CompletableFuture.completedFuture(null);
        }
    }

    private CompletableFuture<Void> publish(List<ConsumerRecord<byte[], byte[]>> records, int gen) {
        if (!assigned.getAsBoolean() || !progress.isCurrent(gen)) {
            return CompletableFuture.completedFuture(null); // revoked, or behind a failure: read again later
        }
        Map<String, List<BatchEntry>> byChannel = new LinkedHashMap<>();
        Map<String, List<ConsumerRecord<byte[], byte[]>>> sources = new LinkedHashMap<>();
        Map<Long, Integer> pending = new LinkedHashMap<>();
        String topic = records.get(0).topic();
        String from = "kafka:" + topic;
        String producer = topic + "/" + records.get(0).partition();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            // a repeat after a crash or a rebalance is recognised by the partition's offset, one fence per
            // channel and partition (BatchEntry.Sequence), not by a key per record held for the whole window
            BatchEntry.Sequence sequence = new BatchEntry.Sequence(producer, r.offset());
            List<ConsumeRoute.Mapped> mapped = ingest.map(r);
            if (mapped.isEmpty()) {
                progress.done(gen, r.offset(), false); // skipped: nothing to store
                continue;
            }
            pending.put(r.offset(), mapped.size());
            for (ConsumeRoute.Mapped m : mapped) {
                byChannel.computeIfAbsent(m.channel(), c -> new ArrayList<>()).add(new BatchEntry(from, m.data(), null, sequence));
                sources.computeIfAbsent(m.channel(), c -> new ArrayList<>()).add(r);
            }
        }
        List<CompletableFuture<?>> calls = new ArrayList<>(byChannel.size());
        for (Map.Entry<String, List<BatchEntry>> e : byChannel.entrySet()) {
            List<ConsumerRecord<byte[], byte[]>> stored = sources.get(e.getKey());
            calls.add(context.publishBatch(e.getKey(), e.getValue()).whenComplete((ps, error) -> {
                synchronized (pending) {
                    for (ConsumerRecord<byte[], byte[]> r : stored) {
                        int left = pending.merge(r.offset(), -1, Integer::sum);
                        if (error != null || left == 0) {
                            progress.done(gen, r.offset(), error != null);
                        }
                    }
                }
                ingest.published(topic, stored, error != null);
            }));
        }
        // The next batch waits for this one, failed or not (isCurrent tells it whether to go on).
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).handle((v, error) -> null);
    }
}
