package dev.switchboard.server.bridge.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Records that cannot be bridged, copied as they are to {@code --kafka-dead-letter} with where they came
 * from and why in headers, so nothing is silently lost. Best effort: a failed send is counted, never retried
 * in the consume loop (which must not stall).
 */
final class DeadLetters {

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final MeterRegistry metrics;

    DeadLetters(Producer<byte[], byte[]> producer, String topic, MeterRegistry metrics) {
        this.producer = producer;
        this.topic = topic;
        this.metrics = metrics;
    }

    void send(ConsumerRecord<byte[], byte[]> record, Unbridgeable why) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add("switchboard-source", (record.topic() + "/" + record.partition() + "/" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        headers.add("switchboard-reason", why.reason().getBytes(StandardCharsets.UTF_8));
        headers.add("switchboard-error", String.valueOf(why.getMessage()).getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers), (meta, error) ->
                    metrics.counter("switchboard.kafka.dead.letters", "outcome", error == null ? "sent" : "failed").increment());
        } catch (RuntimeException e) {
            metrics.counter("switchboard.kafka.dead.letters", "outcome", "failed").increment();
        }
    }
}
