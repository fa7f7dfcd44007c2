package dev.switchboard.server.bridge.kafka;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Reading what the bridge wrote to a topic, in the Kafka tests. */
final class KafkaBridgeTestSupport {

    private KafkaBridgeTestSupport() {
    }

    /** The first record {@code c} reads within {@code timeout}. */
    static ConsumerRecord<byte[], byte[]> first(KafkaConsumer<byte[], byte[]> c, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                return r;
            }
        }
        throw new AssertionError("no record within " + timeout);
    }
}
