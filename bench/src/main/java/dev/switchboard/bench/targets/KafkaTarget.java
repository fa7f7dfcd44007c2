package dev.switchboard.bench.targets;

import dev.switchboard.kafkabroker.KafkaBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The gateway bridging a Kafka topic into a channel ({@code --kafka-consume TOPIC->CHANNEL}), with a real
 * broker (KRaft, loopback) this tool starts beside it and a producer for the load. The broker's CPU is not
 * counted as server CPU: the figure is the gateway's.
 */
public final class KafkaTarget extends GatewayWithCompanion {

    private final KafkaBroker broker;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    private KafkaTarget(String name, ServerProcess gateway, KafkaBroker broker, String topic, int lingerMs) {
        super(name, gateway);
        this.broker = broker;
        this.topic = topic;
        // linger 0 by default: each record leaves at once (latency is the point); acks=1 like most real-time
        // feeds. A linger lets the producer batch, for rates one producer cannot send record by record here.
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Starts a broker (data under {@code dir}), creates {@code topic} with {@code partitions}, and starts the
     * gateway consuming it into {@code channel}; {@code extraArgs} go to the gateway as well.
     */
    public static KafkaTarget start(String name, Path jar, List<String> jvmOptions, List<String> serverArgs,
                                    String topic, int partitions, int lingerMs, String channel, Path dir, Path log)
            throws Exception {
        KafkaBroker broker = KafkaBroker.start(dir);
        try {
            // the broker's append time in each record (and in the producer's ack): where the bridge's part begins
            broker.createTopic(topic, partitions, Map.of("message.timestamp.type", "LogAppendTime"));
            List<String> args = new ArrayList<>(serverArgs);
            args.add("--kafka-bootstrap=" + broker.bootstrap());
            args.add("--kafka-consume=" + topic + "->" + channel);
            args.add("--kafka-offset-reset=latest");
            ServerProcess gateway = Launchers.gateway(name, jar, jvmOptions, args, Map.of(), log);
            return new KafkaTarget(name, gateway, broker, topic, lingerMs);
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** Where the load is produced. */
    public String topic() {
        return topic;
    }

    public KafkaProducer<byte[], byte[]> producer() {
        return producer;
    }

    /** Whether the gateway's consumer owns the topic's partition yet (records produced before are not read). */
    public boolean consuming() {
        try {
            return get("/metrics").contains("switchboard_kafka_consumer_lag{");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    protected String companion() {
        return "Kafka " + broker.bootstrap() + " (KRaft, loopback)";
    }

    @Override
    protected void closeCompanion() {
        producer.close();
        broker.close();
    }
}
