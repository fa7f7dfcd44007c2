package dev.switchboard.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The Kafka bridge's settings: a picocli mixin of {@link GatewayConfig} ({@code config.kafka}), so its flags,
 * {@code SWITCHBOARD_KAFKA_*} variables and the config file's {@code kafka:} section are read like every other
 * option. The bridge is on when {@link #bootstrap} is set.
 */
public final class KafkaOptions {

    @Option(names = "--kafka-bootstrap", description = "Kafka bootstrap servers (host:port[,host:port]); enables the bridge.")
    public String bootstrap;

    @Option(names = "--kafka-consume", description = "A route from topics into channels (repeatable): TOPIC[,TOPIC]->CHANNEL-TEMPLATE[;data=json|string], e.g. 'orders->orders:{key}'. Templates take {key}, {topic}, {partition}, {header:NAME}, {value.FIELD[.FIELD]}.")
    public List<String> consume = new ArrayList<>();

    @Option(names = "--kafka-produce", description = "A route from channels into a topic (repeatable): CHANNEL-GLOB->TOPIC, e.g. 'chat:*->chat-events'. Key = channel.")
    public List<String> produce = new ArrayList<>();

    @Option(names = "--kafka-routes", description = "A file of routes, one per line: 'consume SPEC' or 'produce SPEC' (# comments).")
    public Path routes;

    @Option(names = "--kafka-group", description = "Consumer group shared by the gateway nodes (default: ${DEFAULT-VALUE}).")
    public String group = "switchboard";

    @Option(names = "--kafka-offset-reset", description = "Where a group without committed offsets starts: latest or earliest (default: ${DEFAULT-VALUE}).")
    public String offsetReset = "latest";

    @Option(names = "--kafka-dead-letter", description = "Topic that receives records that cannot be bridged (invalid JSON, no channel), with the reason in headers.")
    public String deadLetter;

    @Option(names = "--kafka-max-in-flight", description = "Records of one partition being published at once; the partition pauses beyond (default: ${DEFAULT-VALUE}).")
    public int maxInFlight = 1_000;

    @Option(names = "--kafka-produce-buffer", description = "Publications waiting to be written to Kafka; when full (Kafka down), new ones are dropped and counted (default: ${DEFAULT-VALUE}).")
    public int produceBuffer = 10_000;

    @Option(names = "--kafka-session-timeout", converter = DurationConverter.class, description = "How long the group waits for a silent node before its partitions move (default: 10s).")
    public Duration sessionTimeout = Duration.ofSeconds(10);

    @Option(names = "--kafka-property", description = "A Kafka client property passed through (repeatable), e.g. security.protocol=SASL_SSL.")
    public List<String> properties = new ArrayList<>();
}
