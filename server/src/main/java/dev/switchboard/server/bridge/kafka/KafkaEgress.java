package dev.switchboard.server.bridge.kafka;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.Publication;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channel publications into topics ({@code --kafka-produce}): each publication stored through this node
 * whose channel matches a route becomes one record (key = channel, value = the message as clients see it,
 * headers with offset and epoch). Publications are queued (bounded) and written by one sender thread, so a
 * slow or unreachable Kafka never blocks a socket: when the queue is full, new publications are dropped and
 * counted. At-least-once on the Kafka side: (channel, epoch, offset) identifies a publication for consumers
 * that must deduplicate. Records that came from Kafka ({@code from} "kafka:…") are not sent back.
 */
final class KafkaEgress implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaEgress.class);

    private final Producer<byte[], byte[]> producer;
    private final List<ProduceRoute> routes;
    private final BlockingQueue<ProducerRecord<byte[], byte[]>> queue;
    private final MeterRegistry metrics;
    private final AtomicLong lastDropLog = new AtomicLong();
    private final Thread sender;
    private final java.util.Set<String> known = new java.util.HashSet<>(); // sender thread only
    private volatile boolean running = true;

    KafkaEgress(Producer<byte[], byte[]> producer, List<ProduceRoute> routes, int buffer, MeterRegistry metrics) {
        this.producer = producer;
        this.routes = routes;
        this.queue = new ArrayBlockingQueue<>(buffer);
        this.metrics = metrics;
        metrics.gauge("switchboard.kafka.produce.queued", queue, BlockingQueue::size);
        this.sender = new Thread(this::send, "kafka-egress");
        this.sender.setDaemon(true);
    }

    void start() {
        sender.start();
    }

    /** A publication was stored through this node. */
    void published(Publication p) {
        if (p.from() != null && p.from().startsWith("kafka:")) {
            return;
        }
        for (ProduceRoute route : routes) {
            if (route.takes(p.channel()) && !queue.offer(record(route.topic(), p))) {
                metrics.counter("switchboard.kafka.records.out", "topic", route.topic(), "outcome", "dropped").increment();
                long now = System.nanoTime();
                long last = lastDropLog.get();
                if (now - last > TimeUnit.SECONDS.toNanos(10) && lastDropLog.compareAndSet(last, now)) {
                    log.warn("kafka produce buffer full ({} records): dropping publications for {} (is Kafka reachable?)",
                            queue.size(), route.topic());
                }
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, Publication p) {
        ObjectNode value = Json.object();
        value.put("channel", p.channel()).put("offset", p.offset()).put("epoch", p.epoch()).put("ts", p.ts());
        if (p.from() != null) {
            value.put("from", p.from());
        }
        value.set("data", p.data());
        RecordHeaders headers = new RecordHeaders();
        headers.add("switchboard-offset", Long.toString(p.offset()).getBytes(StandardCharsets.UTF_8));
        headers.add("switchboard-epoch", p.epoch().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, p.channel().getBytes(StandardCharsets.UTF_8), Json.bytes(value), headers);
    }

    private void send() {
        ProducerRecord<byte[], byte[]> held = null; // a record Kafka could not take yet: sent again, in order
        int attempts = 0;
        while (running || held != null || !queue.isEmpty()) {
            ProducerRecord<byte[], byte[]> r = held;
            if (r == null) {
                try {
                    r = queue.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (r == null) {
                    continue;
                }
            }
            String topic = r.topic();
            try {
                if (!known.contains(topic)) {
                    // send() would report an unknown topic's missing metadata only to the callback, as a lost
                    // record; asking first blocks (max.block.ms) and throws instead, so the record is kept. Once
                    // known, metadata is cached and send() buffers through an outage (delivery.timeout.ms).
                    producer.partitionsFor(topic);
                    known.add(topic);
                }
                producer.send(r, (meta, error) -> metrics.counter("switchboard.kafka.records.out", "topic", topic,
                        "outcome", error == null ? "sent" : "failed").increment());
                held = null;
                attempts = 0;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (!running) {
                    metrics.counter("switchboard.kafka.records.out", "topic", topic, "outcome", "dropped").increment();
                    held = null;
                    continue;
                }
                held = r; // Kafka unreachable: keep it (and everything behind it in the queue) until it is back
                KafkaIngest.sleep(ThreadLocalRandom.current().nextLong(Math.min(2_000, 100L << Math.min(attempts++, 5)) + 1));
            } catch (RuntimeException e) {
                metrics.counter("switchboard.kafka.records.out", "topic", topic, "outcome", "failed").increment();
                log.debug("kafka send to {} failed: {}", topic, e.toString());
                held = null;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
