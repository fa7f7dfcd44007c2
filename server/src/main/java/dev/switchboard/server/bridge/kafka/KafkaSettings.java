package dev.switchboard.server.bridge.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the Kafka bridge is told: the cluster, the routes and the client's limits. Built from the gateway's
 * configuration (the {@code --kafka-*} options) by the node, so the bridge does not depend on how options are read.
 *
 * @param bootstrap      bootstrap servers (host:port[,host:port])
 * @param consume        routes from topics into channels, as {@link ConsumeRoute#parse} reads them
 * @param produce        routes from channels into topics, as {@link ProduceRoute#parse} reads them
 * @param routes         a file of routes ('consume SPEC' / 'produce SPEC' lines), or null
 * @param group          the consumer group shared by the nodes
 * @param offsetReset    where a group without committed offsets starts: latest or earliest
 * @param deadLetter     topic for records that cannot be bridged, or null
 * @param maxInFlight    records of one partition being published at once
 * @param produceBuffer  publications waiting to be written to Kafka
 * @param sessionTimeout how long the group waits for a silent node
 * @param properties     client properties passed through, KEY=VALUE
 */
public record KafkaSettings(String bootstrap, List<String> consume, List<String> produce, Path routes, String group,
                            String offsetReset, String deadLetter, int maxInFlight, int produceBuffer,
                            Duration sessionTimeout, List<String> properties) {
}
