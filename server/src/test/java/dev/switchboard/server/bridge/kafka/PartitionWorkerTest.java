package dev.switchboard.server.bridge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.protocol.Publication;
import dev.switchboard.server.bridge.BridgeContext;
import dev.switchboard.server.engine.BatchEntry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A partition's records become one engine batch per channel and poll, in order, and stop behind a failure. */
class PartitionWorkerTest {

    /** One publishBatch call the worker made, answered by the test. */
    record Call(String channel, List<BatchEntry> entries, CompletableFuture<List<Publication>> answer) {
    }

    private final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final List<String> published = new CopyOnWriteArrayList<>();

    private final BridgeContext context = new BridgeContext() {
        @Override
        public String nodeId() {
            return "n1";
        }

        @Override
        public CompletableFuture<Publication> publish(String channel, String from, JsonNode data, String key) {
            throw new AssertionError("records go to the engine in batches");
        }

        @Override
        public CompletableFuture<List<Publication>> publishBatch(String channel, List<BatchEntry> entries) {
            if (channel.equals("room:bug")) {
                throw new IllegalStateException("a bug, not an engine failure");
            }
            CompletableFuture<List<Publication>> answer = new CompletableFuture<>();
            calls.add(new Call(channel, entries, answer));
            return answer;
        }

        @Override
        public void onPublished(Consumer<Publication> listener) {
        }

        @Override
        public MeterRegistry metrics() {
            return new SimpleMeterRegistry();
        }
    };

    /** Value "room:a|x" goes to channel room:a with data "x"; "skip" is skipped. */
    private final PartitionWorker.Ingest ingest = new PartitionWorker.Ingest() {
        @Override
        public List<ConsumeRoute.Mapped> map(ConsumerRecord<byte[], byte[]> record) {
            String v = new String(record.value(), StandardCharsets.UTF_8);
            if (v.equals("skip")) {
                return List.of();
            }
            String[] parts = v.split("\\|");
            return List.of(new ConsumeRoute.Mapped(parts[0], TextNode.valueOf(parts[1])));
        }

        @Override
        public void published(String topic, List<ConsumerRecord<byte[], byte[]>> records, boolean failed) {
            published.add(topic + ":" + records.size() + (failed ? ":failed" : ""));
        }
    };

    private static List<ConsumerRecord<byte[], byte[]>> records(long firstOffset, String... values) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(new ConsumerRecord<>("t", 3, firstOffset + i, null, values[i].getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private Call nextCall() throws InterruptedException {
        Call c = calls.poll(5, TimeUnit.SECONDS);
        assertTrue(c != null, "the worker published");
        return c;
    }

    private static void store(Call c) {
        c.answer().complete(c.entries().stream().map(e -> (Publication) null).toList());
    }

    @Test
    void eachPollIsOneBatchPerChannelInOffsetOrderAndTheNextWaitsForIt() throws Exception {
        PartitionProgress progress = new PartitionProgress(100);
        PartitionWorker worker = new PartitionWorker(progress, context, ingest, Runnable::run, () -> true);
        worker.submit(records(100, "room:a|1", "room:b|2", "skip", "room:a|3"));
        worker.submit(records(104, "room:a|4"));
        Call a = nextCall();
        Call b = nextCall();
        assertEquals("room:a", a.channel());
        assertEquals(List.of("t/3 100", "t/3 103"), a.entries().stream().map(PartitionWorkerTest::sequence).toList());
        assertEquals(List.of("1", "3"), a.entries().stream().map(e -> e.data().asText()).toList());
        assertEquals("room:b", b.channel());
        assertTrue(calls.poll(100, TimeUnit.MILLISECONDS) == null, "the second poll waits for the first to be stored");
        assertEquals(100, progress.committable());
        store(b);
        assertEquals(100, progress.committable(), "100 (room:a) is not stored yet");
        store(a);
        Call next = nextCall();
        assertEquals(List.of("t/3 104"), next.entries().stream().map(PartitionWorkerTest::sequence).toList());
        assertEquals(104, progress.committable());
        store(next);
        assertEquals(105, progress.committable());
        assertEquals(List.of("t:1", "t:2", "t:1"), published);
    }

    @Test
    void afterAFailedBatchTheQueuedOnesPublishNothingAndTheFailureNamesItsFirstRecord() throws Exception {
        PartitionProgress progress = new PartitionProgress(0);
        PartitionWorker worker = new PartitionWorker(progress, context, ingest, Runnable::run, () -> true);
        worker.submit(records(0, "room:a|0", "room:a|1"));
        worker.submit(records(2, "room:a|2"));
        nextCall().answer().completeExceptionally(new IllegalStateException("engine down"));
        assertTrue(calls.poll(200, TimeUnit.MILLISECONDS) == null, "nothing published behind the failure");
        assertEquals(0, progress.committable());
        assertEquals(0, progress.takeFailure(), "read again from the first record of the failed batch");
        worker.submit(records(0, "room:a|0", "room:a|1", "room:a|2"));
        Call again = nextCall();
        assertEquals(3, again.entries().size());
        store(again);
        assertEquals(3, progress.committable());
    }

    @Test
    void anUnexpectedErrorFailsTheBatchForARetryInsteadOfStallingThePartition() throws Exception {
        PartitionProgress progress = new PartitionProgress(7);
        PartitionWorker worker = new PartitionWorker(progress, context, ingest, Runnable::run, () -> true);
        worker.submit(records(7, "room:bug|x"));
        assertEquals(7, progress.takeFailure(), "the batch is read again");
        worker.submit(records(7, "room:a|x"));
        store(nextCall());
        assertEquals(8, progress.committable());
    }

    /** An entry's producer sequence: the partition and the record's offset. */
    private static String sequence(BatchEntry e) {
        return e.sequence().producer() + " " + e.sequence().number();
    }
}
