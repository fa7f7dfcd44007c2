package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.BenchConnection;
import dev.switchboard.bench.client.LoadClient;
import dev.switchboard.bench.client.Payloads;
import dev.switchboard.bench.metrics.LatencyRecorder;
import dev.switchboard.bench.report.RunResult;
import dev.switchboard.bench.targets.KafkaTarget;
import dev.switchboard.bench.targets.Launchers;
import dev.switchboard.bench.targets.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;

/**
 * The Kafka bridge: records produced to a topic reach S WebSocket subscribers of the channel the gateway
 * bridges the topic into. Latency is Kafka produce (intended send time) to receipt on the socket. Measured
 * against the same load published over a WebSocket to the same channel on a plain gateway, in the same run,
 * so the ratio is what the Kafka hop (broker, consumer, bridge) adds.
 */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "Kafka topic -> bridge -> channel with S subscribers, against WebSocket publishes of the same load.")
public final class KafkaScenario extends FanoutScenario {

    private static final String TOPIC = "bench-in";

    /** Produce-to-ack latencies of the current run's measured window. */
    private LatencyRecorder acks = new LatencyRecorder();

    /** The broker's append to the delivery, for the current run. */
    private AppendToDelivery fromAppend;

    @picocli.CommandLine.Option(names = "--partitions", defaultValue = "1",
            description = "Partitions of the topic; the producer spreads records over them (its default partitioner), each partition's"
                    + " order kept into the one channel (default: ${DEFAULT-VALUE}).")
    int partitions;

    @picocli.CommandLine.Option(names = "--linger-ms", defaultValue = "0",
            description = "The load producer's linger.ms: 0 sends each record at once (latency); a few ms let it"
                    + " batch, for rates it cannot send record by record (default: ${DEFAULT-VALUE}).")
    int lingerMs;

    /** kafka's defaults: 100 subscribers, 1,000 records/s. */
    public KafkaScenario() {
        super(100, 1000);
    }

    @Override
    protected String name() {
        return "kafka";
    }

    @Override
    protected List<String> targets() {
        requireOwnTargets("starts its own broker and gateways and compares the bridge with WebSocket publishing");
        return List.of("switchboard-kafka", "switchboard-websocket");
    }

    @Override
    protected Target start(String targetName, Path log) throws Exception {
        if ("switchboard-kafka".equals(targetName)) {
            return KafkaTarget.start(targetName, gatewayJar(), common.serverJvmOptions(), common.serverArgs, TOPIC,
                    partitions, lingerMs, "bench:" + name(), common.out.toAbsolutePath().resolve("kafka"), log);
        }
        return Launchers.gateway(targetName, gatewayJar(), common.serverJvmOptions(), common.serverArgs, Map.of(), log);
    }

    @Override
    protected RunResult runAgainst(Target target, LoadClient client) throws Exception {
        if (target instanceof KafkaTarget k && !Waits.until(k::consuming, Duration.ofSeconds(60))) {
            throw new IllegalStateException("the gateway's Kafka consumer did not get the topic's partition within 60 s");
        }
        acks = new LatencyRecorder();
        fromAppend = new AppendToDelivery(capacity());
        RunResult result = super.runAgainst(target, client);
        if (target instanceof KafkaTarget k) {
            // the producer's part of the latency (intended send time to its ack, acks=1), and the part after the
            // broker's append (the consumer's fetch, the bridge, the delivery), to tell the two apart
            putLatency(result, "produce_ack", acks.total());
            k.producer().flush();
            long[] unmatched = new long[1];
            putLatency(result, "append_to_delivery", fromAppend.latencies(unmatched));
            result.put("append_to_delivery_unmatched", unmatched[0]);
        }
        result.put("path", target instanceof KafkaTarget ? "kafka produce -> bridge -> websocket" : "websocket publish -> websocket");
        return result;
    }

    /** Room for every measured record and delivery at the offered rate, within what a bench heap holds. */
    private int capacity() {
        double perSecond = publish.rate > 0 ? publish.rate : 200_000;
        double records = perSecond * (common.duration.toNanos() / 1e9 + 2) * Math.max(1, subscribers);
        return (int) Math.min(8_000_000, Math.max(1_000, records));
    }

    @Override
    protected PubSubLoad.Sender sender(Target target, List<BenchConnection> publishers, NodeSpread spread, String channel) {
        if (!(target instanceof KafkaTarget k)) {
            return super.sender(target, publishers, spread, channel);
        }
        Payloads payloads = new Payloads(publish.size, target.dialect());
        LatencyRecorder acked = acks;
        AppendToDelivery appended = fromAppend;
        long warmup = common.warmup.toNanos();
        return new PubSubLoad.Sender() {
            private long measureFrom = Long.MAX_VALUE;

            @Override
            public void publish(long stamp) {
                if (measureFrom == Long.MAX_VALUE) {
                    measureFrom = stamp + warmup;
                }
                boolean measured = stamp >= measureFrom;
                int seq = measured ? appended.sending(stamp) : -1;
                k.producer().send(new ProducerRecord<>(k.topic(), payloads.data(stamp).getBytes(StandardCharsets.UTF_8)),
                        (metadata, error) -> {
                            if (measured && error == null) {
                                acked.record(System.nanoTime() - stamp);
                                appended.acked(seq, metadata.timestamp()); // the topic keeps LogAppendTime
                            }
                        });
            }

            @Override
            public void delivered(long stampNanos, long nowNanos) {
                appended.delivered(stampNanos, nowNanos);
            }

            @Override
            public void flush() {
                // linger.ms=0: every record is on its way already
            }

            @Override
            public boolean writable() {
                return true;
            }
        };
    }
}
