package dev.switchboard.server.bridge.kafka;

import dev.switchboard.server.bridge.Bridge;
import dev.switchboard.server.bridge.BridgeContext;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka bridge ({@code --kafka-bootstrap}): consume routes publish records into channels
 * ({@link KafkaIngest}), produce routes write channel publications to topics ({@link KafkaEgress}), a probe
 * tells {@code /readyz} whether the cluster answers ({@link KafkaHealth}). The official {@code kafka-clients}
 * library does the protocol, the group membership and the retries; nothing here talks Kafka's wire.
 */
public final class KafkaBridge implements Bridge {

    private final KafkaSettings settings;
    private final List<ConsumeRoute> consumeRoutes = new ArrayList<>();
    private final List<ProduceRoute> produceRoutes = new ArrayList<>();
    private KafkaHealth health;
    private KafkaIngest ingest;
    private KafkaEgress egress;
    private Producer<byte[], byte[]> producer;
    private Admin admin;

    /** Parses the routes now, so a wrong one stops the gateway at start with a sentence. */
    public KafkaBridge(KafkaSettings settings) {
        this.settings = settings;
        settings.consume().forEach(s -> consumeRoutes.add(ConsumeRoute.parse(s)));
        settings.produce().forEach(s -> produceRoutes.add(ProduceRoute.parse(s)));
        if (settings.routes() != null) {
            readRoutes(settings.routes());
        }
        if (consumeRoutes.isEmpty() && produceRoutes.isEmpty()) {
            throw new IllegalArgumentException("--kafka-bootstrap needs at least one --kafka-consume or --kafka-produce route");
        }
        String reset = settings.offsetReset().toLowerCase(Locale.ROOT);
        if (!reset.equals("latest") && !reset.equals("earliest")) {
            throw new IllegalArgumentException("--kafka-offset-reset must be latest or earliest");
        }
    }

    private void readRoutes(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --kafka-routes " + file, e);
        }
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("consume ")) {
                consumeRoutes.add(ConsumeRoute.parse(line.substring("consume ".length()).strip()));
            } else if (line.startsWith("produce ")) {
                produceRoutes.add(ProduceRoute.parse(line.substring("produce ".length()).strip()));
            } else {
                throw new IllegalArgumentException("--kafka-routes lines start with 'consume ' or 'produce ': " + line);
            }
        }
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void start(BridgeContext context) {
        Map<String, Object> common = new HashMap<>();
        common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        for (String p : settings.properties()) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--kafka-property must be name=value: " + p);
            }
            common.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        String client = "switchboard-" + context.nodeId();

        Map<String, Object> adminProps = new HashMap<>(common);
        adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, client + "-health");
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        admin = Admin.create(adminProps);
        health = new KafkaHealth(admin, settings.bootstrap());
        Gauge.builder("switchboard.kafka.reachable", () -> health.reachable() ? 1 : 0)
                .description("1 when the Kafka cluster answers").register(context.metrics());
        health.start();

        if (!produceRoutes.isEmpty() || settings.deadLetter() != null) {
            Map<String, Object> props = new HashMap<>(common);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, client);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000); // rides out a broker restart
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        }
        if (!produceRoutes.isEmpty()) {
            egress = new KafkaEgress(producer, produceRoutes, settings.produceBuffer(), context.metrics());
            context.onPublished(egress::published);
            egress.start();
        }
        if (!consumeRoutes.isEmpty()) {
            Map<String, Object> props = new HashMap<>(common);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, client);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.offsetReset().toLowerCase(Locale.ROOT));
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis());
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, settings.sessionTimeout().toMillis() / 4));
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
            // Cooperative rebalancing: a node joining or leaving moves only the partitions that must move; the
            // others keep flowing through the rebalance.
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
            DeadLetters dead = settings.deadLetter() == null ? null
                    : new DeadLetters(producer, settings.deadLetter(), context.metrics());
            ingest = new KafkaIngest(new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                    consumeRoutes, dead, settings.maxInFlight(), context);
            ingest.start();
        }
    }

    @Override
    public boolean isReady() {
        return health != null && health.reachable();
    }

    @Override
    public void close() {
        if (ingest != null) {
            ingest.close();
        }
        if (egress != null) {
            egress.close();
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
        if (health != null) {
            health.close();
        }
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
