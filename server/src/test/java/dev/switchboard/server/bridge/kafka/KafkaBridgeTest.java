package dev.switchboard.server.bridge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.kafkabroker.KafkaBroker;
import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bridge against a real broker: records into channels, publications into a topic, poison records. */
class KafkaBridgeTest {

    static KafkaBroker kafka;
    static TestGateway gw;
    static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.start();
        kafka.createTopic("orders", 3);
        kafka.createTopic("readings", 1);
        kafka.createTopic("chat-events", 1);
        kafka.createTopic("dead", 1);
        producer = kafka.producer();
        gw = TestGateway.start(c -> {
            c.kafka.bootstrap = kafka.bootstrap();
            c.kafka.consume = List.of("orders->orders:{key}", "readings->sensor:{value.sensor};data=json",
                    "readings->raw:{header:site};data=string");
            c.kafka.produce = List.of("chat:*->chat-events");
            c.kafka.offsetReset = "earliest";
            c.kafka.deadLetter = "dead";
            c.kafka.group = "bridge-test";
        });
        Poll.until("the bridge's consumer owns the partitions", Duration.ofSeconds(30),
                () -> gw.get("/metrics").text().contains("switchboard_kafka_consumer_lag{partition=\"2\",topic=\"orders\""));
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static void send(String topic, Integer partition, String key, String value, String... headers) throws Exception {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, partition,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        producer.send(r).get();
    }

    @Test
    void recordsBecomePublicationsInPartitionOrderWithOffsets() throws Exception {
        try (WsClient c = gw.connect("olga")) {
            c.call("subscribe", Map.of("channel", "orders:o-17"));
            c.call("subscribe", Map.of("channel", "orders:o-18"));
            for (int i = 1; i <= 20; i++) {
                send("orders", 1, "o-17", "{\"step\":" + i + "}");
                if (i <= 5) {
                    send("orders", 2, "o-18", "{\"step\":" + i + "}");
                }
            }
            List<Integer> steps17 = new ArrayList<>();
            List<Long> offsets17 = new ArrayList<>();
            int seen18 = 0;
            while (steps17.size() < 20 || seen18 < 5) {
                JsonNode m = c.await(WsClient::isMessage, Duration.ofSeconds(20));
                assertEquals("kafka:orders", m.get("from").asText());
                if (m.get("channel").asText().equals("orders:o-17")) {
                    steps17.add(m.at("/data/step").asInt());
                    offsets17.add(m.get("offset").asLong());
                } else {
                    seen18++;
                    assertEquals(seen18, m.at("/data/step").asInt(), "partition order in orders:o-18");
                    assertEquals(seen18, m.get("offset").asLong());
                }
            }
            List<Integer> expected = new ArrayList<>();
            List<Long> expectedOffsets = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                expected.add(i);
                expectedOffsets.add((long) i);
            }
            assertEquals(expected, steps17, "partition order");
            assertEquals(expectedOffsets, offsets17, "channel offsets 1..20, no gap");
            JsonNode history = c.call("history", Map.of("channel", "orders:o-17"));
            assertEquals(20, history.get("publications").size(), "stored in history");
            // every stored record's age (its timestamp to its publication) is in the topic's histogram
            Poll.until("the records' ages are counted", Duration.ofSeconds(10), () -> recordAges("orders") >= 25);
            assertTrue(gw.get("/metrics").text().contains("switchboard_kafka_record_age_seconds_bucket{topic=\"orders\",le="),
                    "a histogram, for percentiles");
            assertTrue(metric("switchboard_kafka_record_age_seconds_max", "orders") < 60,
                    "seconds since the record was produced, not another unit or clock");
        }
    }

    /** switchboard_kafka_record_age_seconds_count of a topic, 0 before the first. */
    private static double recordAges(String topic) {
        return metric("switchboard_kafka_record_age_seconds_count", topic);
    }

    private static double metric(String name, String topic) {
        String prefix = name + "{topic=\"" + topic + "\"} ";
        return gw.get("/metrics").text().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).findFirst().orElse(0);
    }

    @Test
    void templatesOverAJsonFieldAndAHeaderAndStringData() throws Exception {
        try (WsClient c = gw.connect("sam")) {
            c.call("subscribe", Map.of("channel", "sensor:t-1"));
            c.call("subscribe", Map.of("channel", "raw:lab"));
            send("readings", null, null, "{\"sensor\":\"t-1\",\"celsius\":21.5}", "site", "lab");
            JsonNode a = c.await(WsClient::isMessage, Duration.ofSeconds(20));
            JsonNode b = c.await(WsClient::isMessage, Duration.ofSeconds(20));
            JsonNode sensor = a.get("channel").asText().equals("sensor:t-1") ? a : b;
            JsonNode raw = sensor == a ? b : a;
            assertEquals(21.5, sensor.at("/data/celsius").asDouble());
            assertEquals("raw:lab", raw.get("channel").asText());
            assertEquals("{\"sensor\":\"t-1\",\"celsius\":21.5}", raw.get("data").asText(), "data=string keeps the text");
        }
    }

    @Test
    void aPoisonRecordIsSkippedCountedAndDeadLetteredWithoutStallingItsPartition() throws Exception {
        try (WsClient c = gw.connect("pat");
             KafkaConsumer<byte[], byte[]> dead = consumer("dead")) {
            c.call("subscribe", Map.of("channel", "orders:p-1"));
            send("orders", 0, "p-1", "{not json");
            send("orders", 0, "p-1", "{\"ok\":true}");
            JsonNode m = c.await(WsClient::isMessage, Duration.ofSeconds(20));
            assertTrue(m.at("/data/ok").asBoolean(), "the next record of the partition is delivered");
            assertEquals(1, m.get("offset").asLong(), "the poison record took no channel offset");
            ConsumerRecord<byte[], byte[]> letter = KafkaBridgeTestSupport.first(dead, Duration.ofSeconds(20));
            assertEquals("{not json", new String(letter.value(), StandardCharsets.UTF_8));
            assertEquals("invalid_json", new String(letter.headers().lastHeader("switchboard-reason").value(), StandardCharsets.UTF_8));
            assertTrue(new String(letter.headers().lastHeader("switchboard-source").value(), StandardCharsets.UTF_8)
                    .startsWith("orders/0/"));
            Poll.until("the skip is counted", Duration.ofSeconds(5), () -> gw.get("/metrics").text()
                    .contains("switchboard_kafka_records_skipped_total{reason=\"invalid_json\",topic=\"orders\"} 1.0"));
        }
    }

    @Test
    void publicationsOfMatchingChannelsAreWrittenToTheTopicKeyedByChannel() throws Exception {
        try (WsClient c = gw.connect("cleo");
             KafkaConsumer<byte[], byte[]> events = consumer("chat-events")) {
            JsonNode stored = c.call("publish", Map.of("channel", "chat:lobby", "data", Map.of("text", "to kafka")));
            c.call("publish", Map.of("channel", "news:x", "data", "not routed"));
            ConsumerRecord<byte[], byte[]> r = KafkaBridgeTestSupport.first(events, Duration.ofSeconds(20));
            assertEquals("chat:lobby", new String(r.key(), StandardCharsets.UTF_8));
            JsonNode value = Json.parse(new String(r.value(), StandardCharsets.UTF_8));
            assertEquals("to kafka", value.at("/data/text").asText());
            assertEquals(stored.get("offset").asLong(), value.get("offset").asLong());
            assertEquals(stored.get("epoch").asText(), value.get("epoch").asText());
            assertEquals("cleo", value.get("from").asText());
            assertEquals(Long.toString(stored.get("offset").asLong()),
                    new String(r.headers().lastHeader("switchboard-offset").value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void readyzShowsTheBridge() {
        JsonNode ready = gw.get("/readyz").body();
        assertTrue(ready.at("/bridges/kafka").asBoolean(), ready.toString());
    }

    static KafkaConsumer<byte[], byte[]> consumer(String topic) {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }
}
