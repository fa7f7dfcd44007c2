package dev.switchboard.server.bridge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.support.GatewayProcess;
import dev.switchboard.kafkabroker.KafkaBroker;
import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.RedisServerProcess;
import dev.switchboard.server.support.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three gateway processes on one Redis share a consumer group over a 3-partition topic. 10,000 records
 * stream in while one gateway is killed with SIGKILL (its uncommitted records are read again by the nodes
 * that take its partitions) and started again (the partitions spread back). Every subscriber on the nodes
 * that stayed up must receive each record exactly once, and the channel must hold each exactly once.
 */
@Tag("multi-process")
@Timeout(300)
class KafkaClusterExactlyOnceTest {

    static final String SECRET = "kafka-cluster-secret-kafka-cluster-secret!";
    static final int RECORDS = 10_000;
    static final int PARTITIONS = 3;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static RedisServerProcess redis;
    static KafkaBroker kafka;
    static final List<GatewayProcess> nodes = new ArrayList<>();
    static final List<WsClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServerProcess.start();
        kafka = KafkaBroker.start();
        kafka.createTopic("orders", PARTITIONS);
    }

    @AfterAll
    static void stop() {
        clients.forEach(WsClient::abort);
        nodes.forEach(GatewayProcess::close);
        if (kafka != null) {
            kafka.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    static GatewayProcess node(String name) throws Exception {
        GatewayProcess g = GatewayProcess.start(name, SECRET, "--engine", "redis", "--redis", redis.uri(),
                "--kafka-bootstrap", kafka.bootstrap(), "--kafka-consume", "orders->orders",
                "--kafka-offset-reset", "earliest", "--kafka-group", "exactly-once", "--kafka-session-timeout", "3s",
                "--history-rules", "orders=20000/10m");
        nodes.add(g);
        return g;
    }

    /** Partitions each node consumes now, read from its lag gauges. */
    static int ownedPartitions(GatewayProcess node) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("^switchboard_kafka_consumer_lag\\{", Pattern.MULTILINE).matcher(r.body());
            int n = 0;
            while (m.find()) {
                n++;
            }
            return n;
        } catch (Exception e) {
            return -1;
        }
    }

    /** A subscriber of {@code orders} on {@code node} counting every record id it receives. */
    static final class Tally {
        final Map<Integer, AtomicInteger> seen = new ConcurrentHashMap<>();
        final AtomicInteger markers = new AtomicInteger();
        final AtomicInteger frames = new AtomicInteger();
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);

        void accept(String text) {
            JsonNode f = Json.parse(text);
            if (!"message".equals(f.path("type").asText()) || !"orders".equals(f.path("channel").asText())) {
                return;
            }
            frames.incrementAndGet();
            JsonNode d = f.get("data");
            if (d.has("end")) {
                markers.incrementAndGet();
                return;
            }
            seen.computeIfAbsent(d.get("id").asInt(), k -> new AtomicInteger()).incrementAndGet();
            if (d.path("measured").asBoolean()) {
                synchronized (latency) {
                    latency.recordValue(Math.max(0, System.nanoTime() - d.get("sent").asLong()));
                }
            }
        }

        long duplicates() {
            return seen.values().stream().filter(n -> n.get() > 1).mapToLong(n -> n.get() - 1).sum();
        }
    }

    static Tally subscribe(GatewayProcess node, String user) throws Exception {
        String token = Json.parse(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                + "/auth/token?user=" + user)).build(), HttpResponse.BodyHandlers.ofString()).body()).get("token").asText();
        WsClient ws = WsClient.open(URI.create("ws://127.0.0.1:" + node.port() + "/ws?token=" + token));
        ws.awaitType("welcome");
        ws.call("subscribe", Map.of("channel", "orders"));
        clients.add(ws);
        Tally t = new Tally();
        ws.tap(t::accept);
        return t;
    }

    @Test
    void everyRecordReachesEverySubscriberExactlyOnceAcrossAKilledAndRestartedNode() throws Exception {
        GatewayProcess a = node("a");
        GatewayProcess b = node("b");
        GatewayProcess c = node("c");
        Poll.until("the three nodes share the three partitions", Duration.ofSeconds(60),
                () -> ownedPartitions(a) >= 1 && ownedPartitions(b) >= 1 && ownedPartitions(c) >= 1);
        Tally onA = subscribe(a, "watcher-a");
        Tally onC = subscribe(c, "watcher-c");

        long t0 = System.nanoTime();
        GatewayProcess restarted = null;
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (int i = 0; i < RECORDS; i++) {
                if (i == 3_000) {
                    b.kill9(); // mid-stream, with records of its partitions published but not committed
                }
                if (i == 6_000) {
                    restarted = node("b2"); // the partitions spread back to three nodes
                }
                boolean measured = i < 3_000; // steady state, before the kill
                String value = "{\"id\":" + i + ",\"sent\":" + System.nanoTime() + ",\"measured\":" + measured + "}";
                producer.send(new ProducerRecord<>("orders", i % PARTITIONS, null, value.getBytes(StandardCharsets.UTF_8)));
                if (i % 10 == 9) {
                    producer.flush();
                    Thread.sleep(10); // pacing the stream at ~1,000 records/s; nothing waits on this
                }
            }
            for (int p = 0; p < PARTITIONS; p++) {
                producer.send(new ProducerRecord<>("orders", p, null, "{\"end\":true}".getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        long produced = System.nanoTime() - t0;
        // A replayed record would be delivered in its partition's order, so before that partition's end marker.
        Poll.until("every partition's end marker reached both subscribers", Duration.ofSeconds(120),
                () -> onA.markers.get() == PARTITIONS && onC.markers.get() == PARTITIONS);
        long delivered = System.nanoTime() - t0;

        for (Tally t : List.of(onA, onC)) {
            assertEquals(RECORDS, t.seen.size(), "no record lost");
            assertEquals(0, t.duplicates(), "no record delivered twice");
            assertEquals(RECORDS + PARTITIONS, t.frames.get());
        }
        JsonNode position = Json.parse(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port()
                + "/api/channels/orders/history?limit=1&reverse=true")).header("Authorization", "Bearer dev-api-key").build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(RECORDS + PARTITIONS, position.get("offset").asLong(),
                "the channel stored each record once: its top offset is the record count " + position);
        Histogram h = onA.latency;
        System.out.printf("kafka exactly-once: %d records sent in %.1f s, all delivered after %.1f s; per subscriber on"
                        + " a/c: %d/%d distinct, %d/%d duplicates, %d/%d lost; kafka produce -> websocket latency"
                        + " (first 3,000, ~1,000/s) p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                RECORDS, produced / 1e9, delivered / 1e9, onA.seen.size(), onC.seen.size(), onA.duplicates(),
                onC.duplicates(), RECORDS - onA.seen.size(), RECORDS - onC.seen.size(),
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
        if (restarted != null) {
            GatewayProcess r = restarted;
            Poll.until("the restarted node consumes again", Duration.ofSeconds(60), () -> ownedPartitions(r) >= 1);
        }
    }
}
