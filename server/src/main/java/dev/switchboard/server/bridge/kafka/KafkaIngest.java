package dev.switchboard.server.bridge.kafka;

import dev.switchboard.server.bridge.BridgeContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topics into channels, exactly once per channel offset across a group of gateway nodes. One thread owns
 * the consumer (the group spreads partitions over the nodes and moves them when one dies) and hands each
 * poll's records of a partition to that partition's {@link PartitionWorker}, which maps and publishes them in
 * batches off this thread. Each record becomes one publication per matching route, published with the
 * idempotency key {@code topic/partition/offset}, and a partition's offset is committed only once every
 * record before it is stored ({@link PartitionProgress}). So a record is either committed (stored) or
 * will be read again by whichever node gets the partition next, and then the engine recognises the key and
 * stores and delivers nothing. An engine failure seeks the partition back to the failed record and retries
 * it with jittered backoff; a record that cannot be bridged is skipped (counted, dead-lettered if
 * configured) and never stalls its partition.
 */
final class KafkaIngest implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaIngest.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration BACK_PRESSURE_POLL = Duration.ofMillis(1);
    private static final long COMMIT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long LAG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration REVOKE_WAIT = Duration.ofSeconds(10);

    private final Consumer<byte[], byte[]> consumer;
    private final List<ConsumeRoute> routes;
    private final DeadLetters deadLetters;
    private final int maxInFlight;
    private final BridgeContext context;
    private final MeterRegistry metrics;
    private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();
    private final Map<TopicPartition, PartitionWorker> workers = new ConcurrentHashMap<>();
    /** Where the workers map and publish: a virtual thread per batch, one batch of a partition at a time. */
    private final java.util.concurrent.ExecutorService workerThreads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private final PartitionWorker.Ingest mapping = new PartitionWorker.Ingest() {
        @Override
        public List<ConsumeRoute.Mapped> map(ConsumerRecord<byte[], byte[]> record) {
            return KafkaIngest.this.map(record);
        }

        @Override
        public void published(String topic, List<ConsumerRecord<byte[], byte[]>> records, boolean failed) {
            if (failed) {
                failedPublishes.increment();
                return;
            }
            TopicCounters c = counters(topic);
            c.published().increment(records.size());
            long now = System.currentTimeMillis();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                // another machine's clock (CreateTime) can be ahead of ours: such a record counts as fresh
                c.age().record(Math.max(0, now - r.timestamp()), TimeUnit.MILLISECONDS);
            }
        }
    };
    private final Map<TopicPartition, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Gauge> lagGauges = new HashMap<>();
    /** Partitions paused by this class: until when (nanoTime) for a retry backoff, or 0 for back-pressure. */
    private final Map<TopicPartition, Long> paused = new HashMap<>();
    private final Map<TopicPartition, Integer> failures = new HashMap<>();
    private final Counter failedPublishes;
    private final Map<String, TopicCounters> topicCounters = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private long lastCommit;
    private long lastLag;

    KafkaIngest(Consumer<byte[], byte[]> consumer, List<ConsumeRoute> routes, DeadLetters deadLetters,
                int maxInFlight, BridgeContext context) {
        this.consumer = consumer;
        this.routes = routes;
        this.deadLetters = deadLetters;
        this.maxInFlight = maxInFlight;
        this.context = context;
        this.metrics = context.metrics();
        this.failedPublishes = Counter.builder("switchboard.kafka.publish.failures")
                .description("publications of records that failed (engine unavailable) and were retried").register(metrics);
        this.thread = new Thread(this::run, "kafka-ingest");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        Set<String> topics = new LinkedHashSet<>();
        routes.forEach(r -> topics.addAll(r.topics()));
        consumer.subscribe(topics, new Rebalance());
        try {
            while (running) {
                try {
                    // While a partition waits for its workers, poll briefly so that it resumes as soon as they
                    // have drained, not a whole poll time-out later.
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(paused.containsValue(0L) ? BACK_PRESSURE_POLL : POLL);
                    for (TopicPartition tp : records.partitions()) {
                        dispatch(tp, records.records(tp));
                    }
                    housekeeping();
                } catch (WakeupException e) {
                    if (running) {
                        log.debug("kafka consumer woken up while running");
                    }
                } catch (KafkaException e) {
                    // Not connectivity (the client rides that out inside poll): auth, a deleted topic, a fenced
                    // member. Back off and go on; the group hands the partitions to a healthy node meanwhile.
                    log.warn("kafka consumer error, retrying in 1s: {}", e.toString());
                    sleep(1_000);
                }
            }
        } finally {
            shutdown();
        }
    }

    private void dispatch(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records) {
        PartitionProgress p = progress.get(tp);
        PartitionWorker worker = workers.get(tp);
        if (p == null || worker == null || records.isEmpty()) {
            return; // revoked while this batch was in hand; the next owner reads it again
        }
        counters(tp.topic()).in().increment(records.size());
        worker.submit(records);
        if (p.inFlight() >= maxInFlight && !paused.containsKey(tp)) {
            consumer.pause(List.of(tp)); // back-pressure: the engine is slower than the topic
            paused.put(tp, 0L);
        }
    }

    /** A record as the routes map it: one publication per route that takes its topic; none when skipped. */
    private List<ConsumeRoute.Mapped> map(ConsumerRecord<byte[], byte[]> record) {
        List<ConsumeRoute.Mapped> mapped = new ArrayList<>(1);
        for (ConsumeRoute route : routes) {
            if (!route.takes(record.topic())) {
                continue;
            }
            try {
                mapped.add(route.map(record));
            } catch (Unbridgeable e) {
                skip(record, e);
            }
        }
        return mapped;
    }

    /** The per-topic counters, looked up once per topic rather than once per record. */
    private record TopicCounters(Counter in, Counter published, Timer age) {
    }

    private TopicCounters counters(String topic) {
        return topicCounters.computeIfAbsent(topic, t -> new TopicCounters(
                Counter.builder("switchboard.kafka.records.in").tag("topic", t)
                        .description("records read from the topic").register(metrics),
                Counter.builder("switchboard.kafka.records.published").tag("topic", t)
                        .description("records stored as publications").register(metrics),
                // Kafka Streams' record-e2e-latency for the bridge: how stale a record is when its publication
                // is stored (the record's timestamp: the producer's clock, or the broker's with LogAppendTime)
                Timer.builder("switchboard.kafka.record.age").tag("topic", t)
                        .description("time from a record's Kafka timestamp to its publication being stored")
                        .publishPercentileHistogram().register(metrics)));
    }

    private void skip(ConsumerRecord<byte[], byte[]> record, Unbridgeable why) {
        metrics.counter("switchboard.kafka.records.skipped", "topic", record.topic(), "reason", why.reason()).increment();
        log.warn("skipping kafka record {}/{}/{}: {} ({})", record.topic(), record.partition(), record.offset(),
                why.reason(), why.getMessage());
        if (deadLetters != null) {
            deadLetters.send(record, why);
        }
    }

    /** After each poll: retries of failed publishes, pauses and resumes, commits, lag. */
    private void housekeeping() {
        long now = System.nanoTime();
        for (Map.Entry<TopicPartition, PartitionProgress> e : progress.entrySet()) {
            TopicPartition tp = e.getKey();
            long at = e.getValue().takeFailure();
            if (at >= 0) {
                int n = failures.merge(tp, 1, Integer::sum);
                long backoffMs = ThreadLocalRandom.current().nextLong(Math.min(5_000, 100L << Math.min(n, 6)) + 1);
                log.warn("publishing from {} failed (engine unavailable?): retrying from offset {} in {} ms", tp, at, backoffMs);
                consumer.seek(tp, at);
                consumer.pause(List.of(tp));
                paused.put(tp, now + TimeUnit.MILLISECONDS.toNanos(backoffMs));
            }
        }
        List<TopicPartition> resume = new ArrayList<>();
        paused.forEach((tp, until) -> {
            PartitionProgress p = progress.get(tp);
            boolean ready = until == 0 ? p == null || p.inFlight() <= maxInFlight / 2 : now - until >= 0;
            if (ready) {
                resume.add(tp);
            }
        });
        if (!resume.isEmpty()) {
            resume.forEach(paused::remove);
            consumer.resume(resume);
        }
        if (now - lastCommit >= COMMIT_EVERY_NANOS) {
            lastCommit = now;
            commit(progress.keySet(), false);
        }
        if (now - lastLag >= LAG_EVERY_NANOS) {
            lastLag = now;
            for (TopicPartition tp : progress.keySet()) {
                consumer.currentLag(tp).ifPresent(l -> lag.computeIfAbsent(tp, k -> new AtomicLong()).set(l));
            }
        }
    }

    private void commit(Collection<TopicPartition> partitions, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionProgress p = progress.get(tp);
            if (p == null) {
                continue;
            }
            long c = p.committable();
            if (p.advance(c)) {
                offsets.put(tp, new OffsetAndMetadata(c));
                if (c > 0) {
                    failures.remove(tp); // progress: the next failure backs off from the start again
                }
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            try {
                consumer.commitSync(offsets, Duration.ofSeconds(5));
            } catch (KafkaException e) {
                log.warn("committing {} failed: {} (the records will be read again and recognised)", offsets, e.toString());
            }
        } else {
            consumer.commitAsync(offsets, (done, error) -> {
                if (error != null) {
                    log.debug("async commit failed (a later one covers it): {}", error.toString());
                }
            });
        }
    }

    /** Waits (bounded) until the publications of {@code partitions} are settled, so their commit covers them. */
    private void settle(Collection<TopicPartition> partitions, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        for (TopicPartition tp : partitions) {
            PartitionProgress p = progress.get(tp);
            while (p != null && p.inFlight() > 0 && System.nanoTime() < deadline) {
                sleep(2);
            }
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                PartitionProgress p = new PartitionProgress(consumer.position(tp));
                progress.put(tp, p);
                workers.put(tp, new PartitionWorker(p, context, mapping, workerThreads, () -> progress.get(tp) == p));
                AtomicLong value = lag.computeIfAbsent(tp, k -> new AtomicLong());
                lagGauges.put(tp, Gauge.builder("switchboard.kafka.consumer.lag", value, AtomicLong::get)
                        .tags("topic", tp.topic(), "partition", Integer.toString(tp.partition()))
                        .description("records of the partition not read yet by this node").register(metrics));
            }
            log.info("kafka partitions assigned to this node: {}", partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            settle(partitions, REVOKE_WAIT);
            commit(partitions, true);
            forget(partitions);
            log.info("kafka partitions revoked from this node: {}", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions); // another node owns them already: committing now could move its offsets
        }
    }

    private void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            progress.remove(tp);
            workers.remove(tp);
            paused.remove(tp);
            failures.remove(tp);
            lag.remove(tp);
            Gauge g = lagGauges.remove(tp);
            if (g != null) {
                metrics.remove(g);
            }
        }
    }

    private void shutdown() {
        try {
            settle(progress.keySet(), Duration.ofSeconds(5));
            commit(progress.keySet(), true);
        } catch (RuntimeException e) {
            log.warn("final kafka commit failed: {}", e.toString());
        }
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.debug("closing the kafka consumer: {}", e.toString());
        }
        workerThreads.shutdown();
    }

    /** Sleeps, keeping an interrupt for the caller to see (the bridge's threads stop on their own flags). */
    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
