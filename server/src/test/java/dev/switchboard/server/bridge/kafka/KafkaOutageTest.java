package dev.switchboard.server.bridge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Kafka goes away and comes back: sockets keep working, /readyz tells, and consumption resumes where it stopped. */
@Timeout(180)
class KafkaOutageTest {

    @Test
    void consumptionResumesWhereItStoppedAndSocketsStayUpWhileKafkaIsDown() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start()) {
            kafka.createTopic("ticks", 1);
            kafka.createTopic("chat-out", 1);
            try (TestGateway gw = TestGateway.start(c -> {
                        c.kafka.bootstrap = kafka.bootstrap();
                        c.kafka.consume = List.of("ticks->ticks");
                        c.kafka.produce = List.of("chat:*->chat-out");
                        c.kafka.offsetReset = "earliest";
                        c.kafka.group = "outage-test";
                        c.historySize = 1000;
                    });
                 WsClient ws = gw.connect("tess")) {
                ws.call("subscribe", Map.of("channel", "ticks"));
                produce(kafka, 1, 50);
                assertEquals(range(1, 50), ticks(ws, 50));

                kafka.stop();
                Poll.until("/readyz tells that kafka is unreachable", Duration.ofSeconds(20),
                        () -> !gw.get("/readyz").body().at("/bridges/kafka").asBoolean());
                TestGateway.Response ready = gw.get("/readyz");
                assertEquals(200, ready.status(), "the node still serves sockets: " + ready.text());
                assertEquals("still here", ws.call("echo", Map.of("say", "still here")).get("say").asText());
                JsonNode stored = ws.call("publish", Map.of("channel", "chat:during", "data", "while kafka is down"));
                assertEquals(1, stored.get("offset").asLong(), "publishing works; the record waits for Kafka");

                kafka.restart();
                Poll.until("/readyz tells that kafka is back", Duration.ofSeconds(30),
                        () -> gw.get("/readyz").body().at("/bridges/kafka").asBoolean());
                produce(kafka, 51, 100);
                List<Integer> after = ticks(ws, 50);
                assertEquals(range(51, 100), after, "resumed after the last committed record: nothing lost, nothing twice");
                JsonNode history = ws.call("history", Map.of("channel", "ticks", "limit", 1, "reverse", true));
                assertEquals(100, history.get("offset").asLong(), "the channel stored 100 publications");

                try (KafkaConsumer<byte[], byte[]> out = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
                        ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                    out.subscribe(List.of("chat-out"));
                    ConsumerRecord<byte[], byte[]> r = KafkaBridgeTestSupport.first(out, Duration.ofSeconds(40));
                    assertEquals("while kafka is down", Json.parse(new String(r.value(), StandardCharsets.UTF_8)).get("data").asText(),
                            "the publication made during the outage was buffered and written when Kafka came back");
                }
            }
        }
    }

    private static void produce(KafkaBroker kafka, int from, int to) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            for (int i = from; i <= to; i++) {
                p.send(new ProducerRecord<>("ticks", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    private static List<Integer> ticks(WsClient ws, int n) {
        List<Integer> got = new ArrayList<>();
        while (got.size() < n) {
            got.add(ws.await(WsClient::isMessage, Duration.ofSeconds(30)).at("/data/n").asInt());
        }
        assertFalse(got.isEmpty());
        return got;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            r.add(i);
        }
        return r;
    }
}
