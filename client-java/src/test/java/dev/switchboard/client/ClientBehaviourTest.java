package dev.switchboard.client;

import dev.switchboard.protocol.schema.FrameSchema;

import dev.switchboard.protocol.StreamPosition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's protocol logic against a scripted server, for the moments the real gateway cannot be made to
 * produce on cue: out-of-order replies, drops mid-subscription, overlapping recovery, failed recovery, silence.
 */
@Timeout(30)
class ClientBehaviourTest {

    private ScriptedServer server;
    private final Recorders.Events events = new Recorders.Events();
    private final List<SwitchboardClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws InterruptedException {
        server = new ScriptedServer().start();
    }

    /** What the SDK sends is checked against the protocol schema (the scripted server's frames are the test's). */
    private final FrameSchema.Tap schema = new FrameSchema.Tap(false);

    @AfterEach
    void stop() {
        clients.forEach(SwitchboardClient::close);
        server.close();
        schema.assertClean();
    }

    private SwitchboardClientBuilder builder() {
        return SwitchboardClient.builder()
                .url(server.url())
                .reconnect(Duration.ofMillis(20), Duration.ofMillis(200), 2)
                .listener(events)
                .frameListener(FrameListener.of(schema::sent, schema::received));
    }

    private SwitchboardClient connected(SwitchboardClientBuilder builder) throws Exception {
        SwitchboardClient client = builder.build();
        clients.add(client);
        client.connect().get(5, TimeUnit.SECONDS);
        return client;
    }

    private static SwitchboardException failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
        return assertInstanceOf(SwitchboardException.class, e.getCause());
    }

    @Test
    void repliesAndErrorsAreMatchedToTheirRequestsInAnyOrder() throws Exception {
        SwitchboardClient client = connected(builder());
        ScriptedServer.Peer peer = server.nextPeer();
        CompletableFuture<JsonNode> first = client.request("a", Map.of("n", 1));
        CompletableFuture<JsonNode> second = client.request("b", Map.of("n", 2));
        JsonNode a = peer.next("a");
        JsonNode b = peer.next("b");
        assertEquals(1, a.path("data").path("n").asInt());

        peer.reply(b.path("id").asText(), "{\"answer\":\"for b\"}");
        peer.send("{\"type\":\"error\",\"re\":\"" + a.path("id").asText()
                + "\",\"error\":{\"code\":\"forbidden\",\"message\":\"no\"}}");

        assertEquals("for b", second.get(5, TimeUnit.SECONDS).path("answer").asText());
        SwitchboardException error = failure(first);
        assertEquals("forbidden", error.code());
    }

    @Test
    void requestTimesOutAndALateReplyIsIgnored() throws Exception {
        SwitchboardClient client = connected(builder());
        ScriptedServer.Peer peer = server.nextPeer();
        long start = System.nanoTime();
        CompletableFuture<JsonNode> reply = client.request("slow", null, Duration.ofMillis(200));
        JsonNode sent = peer.next("slow");
        assertEquals(SwitchboardException.TIMEOUT, failure(reply).code());
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis >= 190 && tookMillis < 2_000, "timed out after " + tookMillis + " ms");

        peer.reply(sent.path("id").asText(), "{}"); // late: must not resurrect anything
        assertEquals("pong", client.request("echo", null).thenApply(JsonNode::asText)
                .completeOnTimeout("pong", 300, TimeUnit.MILLISECONDS).get());
        assertEquals(ConnectionState.CONNECTED, client.state());
    }

    @Test
    void concurrentSendersAreSerialisedOntoTheSocket() throws Exception {
        SwitchboardClient client = connected(builder());
        ScriptedServer.Peer peer = server.nextPeer();
        int threads = 8;
        int perThread = 250;
        List<CompletableFuture<JsonNode>> replies = new CopyOnWriteArrayList<>();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            senders.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    replies.add(client.request("load", Map.of("i", i)));
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < threads * perThread; i++) {
            String id = peer.next("load").path("id").asText();
            assertTrue(ids.add(id), "id " + id + " sent twice");
            peer.reply(id, "{}");
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void reconnectsWithAFreshTicketAfterAnUnexpectedClose() throws Exception {
        AtomicInteger tickets = new AtomicInteger();
        SwitchboardClient client = connected(builder()
                .tokenSupplier(() -> CompletableFuture.completedFuture("t" + tickets.incrementAndGet())));
        ScriptedServer.Peer first = server.nextPeer();
        assertTrue(first.uri.endsWith("?token=t1"), first.uri);
        assertEquals(ConnectionState.CONNECTING, events.queue.take().state());
        ConnectionEvent up = events.queue.take();
        assertEquals(ConnectionState.CONNECTED, up.state());
        assertEquals("alice", up.welcome().user());

        first.close(1011, "boom");
        ConnectionEvent down = events.await(ConnectionState.DISCONNECTED);
        assertEquals(1011, down.closeCode());
        assertEquals("boom", down.reason());
        assertTrue(down.willReconnect());
        assertTrue(down.retryIn().toMillis() <= 20, "first retry within [0, min]: " + down.retryIn());

        ScriptedServer.Peer second = server.nextPeer();
        assertTrue(second.uri.endsWith("?token=t2"), "a new ticket per attempt: " + second.uri);
        events.await(ConnectionState.CONNECTED);
        assertEquals(ConnectionState.CONNECTED, client.state());
    }

    @Test
    void keepsRetryingWhileTheServerIsDown() throws Exception {
        SwitchboardClient client = builder().url("ws://127.0.0.1:1/ws").build(); // nothing listens on port 1
        clients.add(client);
        client.connect();
        for (int i = 0; i < 3; i++) {
            ConnectionEvent down = events.await(ConnectionState.DISCONNECTED);
            assertEquals(SwitchboardClient.ABNORMAL_CLOSURE, down.closeCode());
            assertTrue(down.willReconnect(), down.toString());
            assertTrue(down.retryIn().toMillis() <= Math.min(200, 20L << i), "attempt " + i + ": " + down.retryIn());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4003, 4009})
    void doesNotReconnectAfterAFinalCloseCode(int code) throws Exception {
        SwitchboardClient client = connected(builder());
        ScriptedServer.Peer peer = server.nextPeer();
        CompletableFuture<JsonNode> inFlight = client.request("x", null);
        peer.next("x");
        peer.close(code, "go away");
        ConnectionEvent down = events.await(ConnectionState.DISCONNECTED);
        assertEquals(code, down.closeCode());
        assertFalse(down.willReconnect());
        assertNull(down.retryIn());
        assertEquals(SwitchboardException.CLOSED, failure(inFlight).code());
        assertNull(server.pollPeer(300), "no reconnect after " + code);
        assertEquals(ConnectionState.DISCONNECTED, client.state());

        client.connect(); // an explicit connect() starts over
        server.nextPeer();
        events.await(ConnectionState.CONNECTED);
    }

    @Test
    void reconnectsAfterANormalCloseFromTheServer() throws Exception {
        connected(builder());
        server.nextPeer().close(1000, "bye");
        assertTrue(events.await(ConnectionState.DISCONNECTED).willReconnect(),
                "only 4003, 4009 and close() stop the client; a server that wants it gone for good says 4009");
        server.nextPeer();
    }

    @Test
    void requestsMadeBeforeConnectingAreSentOnceConnected() throws Exception {
        SwitchboardClient client = builder().build();
        clients.add(client);
        CompletableFuture<JsonNode> early = client.request("early", Map.of("k", "v"));
        client.connect();
        ScriptedServer.Peer peer = server.nextPeer();
        JsonNode sent = peer.next("early");
        peer.reply(sent.path("id").asText(), "{\"ok\":true}");
        assertTrue(early.get(5, TimeUnit.SECONDS).path("ok").asBoolean());
    }

    @Test
    void resubscribesWithSinceAndDeliversEachMissedMessageOnceInOrder() throws Exception {
        SwitchboardClient client = connected(builder());
        Recorders.Channel channel = new Recorders.Channel();
        Subscription sub = client.subscribe("chat:a", channel);
        ScriptedServer.Peer first = server.nextPeer();
        JsonNode subscribe = first.next("subscribe");
        assertTrue(subscribe.path("data").path("since").isMissingNode(), "first subscribe has no since");
        first.reply(subscribe.path("id").asText(), "{\"channel\":\"chat:a\",\"offset\":2,\"epoch\":\"e1\"}");
        assertEquals(new SubscribeResult("chat:a", new StreamPosition(2, "e1"), false, true),
                sub.ready().get(5, TimeUnit.SECONDS));
        first.send(message(2)); // at or below the subscribe top: already history, not delivered
        first.send(message(3));
        first.send(message(4));
        assertEquals(List.of(3L, 4L), channel.offsets(2));

        first.drop();
        ScriptedServer.Peer second = server.nextPeer();
        JsonNode resubscribe = second.next("subscribe");
        assertEquals(4, resubscribe.path("data").path("since").path("offset").asLong());
        assertEquals("e1", resubscribe.path("data").path("since").path("epoch").asText());
        // a live push overtakes the recovery reply: it must wait for the recovered publications
        second.send(message(7));
        second.reply(resubscribe.path("id").asText(), "{\"channel\":\"chat:a\",\"offset\":6,\"epoch\":\"e1\","
                + "\"recovered\":true,\"publications\":[" + message(4) + "," + message(5) + "," + message(6) + "]}");
        second.send(message(7)); // and a duplicate of it
        second.send(message(8));
        assertEquals(List.of(5L, 6L, 7L, 8L), channel.offsets(4));
        assertNull(channel.messages.poll(200, TimeUnit.MILLISECONDS), "no duplicates");
        channel.subscribed.take();
        SubscribeResult again = channel.subscribed.take();
        assertTrue(again.resubscribed() && again.recovered(), again.toString());
        assertTrue(channel.recoveryFailed.isEmpty());
        assertEquals(new StreamPosition(8, "e1"), sub.position());
    }

    @Test
    void aFailedRecoveryIsSurfacedAndTheSubscriptionGoesOnFromTheNewTop() throws Exception {
        SwitchboardClient client = connected(builder());
        Recorders.Channel channel = new Recorders.Channel();
        client.subscribe("chat:a", channel);
        ScriptedServer.Peer first = server.nextPeer();
        first.reply(first.next("subscribe").path("id").asText(), "{\"channel\":\"chat:a\",\"offset\":9,\"epoch\":\"e1\"}");
        first.send(message(10));
        assertEquals(List.of(10L), channel.offsets(1));

        first.drop();
        ScriptedServer.Peer second = server.nextPeer();
        JsonNode resubscribe = second.next("subscribe");
        second.reply(resubscribe.path("id").asText(),
                "{\"channel\":\"chat:a\",\"offset\":3,\"epoch\":\"e2\",\"recovered\":false}");
        SubscribeResult failed = channel.recoveryFailed.poll(5, TimeUnit.SECONDS);
        assertEquals(new SubscribeResult("chat:a", new StreamPosition(3, "e2"), true, false), failed);
        second.send(message(4).replace("\"e1\"", "\"e2\""));
        Message next = channel.messages.poll(5, TimeUnit.SECONDS);
        assertEquals(new StreamPosition(4, "e2"), next.position());
    }

    @Test
    void aServerThatIgnoresSinceIsCaughtByTheOffsets() throws Exception {
        SwitchboardClient client = connected(builder());
        Recorders.Channel channel = new Recorders.Channel();
        client.subscribe("chat:a", channel);
        ScriptedServer.Peer first = server.nextPeer();
        first.reply(first.next("subscribe").path("id").asText(), "{\"channel\":\"chat:a\",\"offset\":5,\"epoch\":\"e1\"}");
        first.drop();
        ScriptedServer.Peer second = server.nextPeer();
        // no "recovered", no publications, but the channel moved on from 5 to 7: two messages were lost
        second.reply(second.next("subscribe").path("id").asText(), "{\"channel\":\"chat:a\",\"offset\":7,\"epoch\":\"e1\"}");
        SubscribeResult failed = channel.recoveryFailed.poll(5, TimeUnit.SECONDS);
        assertFalse(failed.recovered());
        assertEquals(new StreamPosition(7, "e1"), failed.top());
    }

    @Test
    void aSubscriptionTheServerCannotMakeNowIsAskedForAgain() throws Exception {
        SwitchboardClient client = connected(builder());
        Recorders.Channel channel = new Recorders.Channel();
        Subscription sub = client.subscribe("news", channel);
        ScriptedServer.Peer peer = server.nextPeer();
        peer.send("{\"type\":\"error\",\"re\":\"" + peer.next("subscribe").path("id").asText()
                + "\",\"error\":{\"code\":\"unavailable\",\"message\":\"redis restarting\"}}");
        String again = peer.next("subscribe").path("id").asText(); // asked again, on the same connection
        peer.send("{\"type\":\"reply\",\"re\":\"" + again + "\",\"data\":{\"channel\":\"news\",\"offset\":3,\"epoch\":\"e1\"}}");
        assertEquals(new StreamPosition(3, "e1"), sub.ready().get(5, TimeUnit.SECONDS).top());
        assertTrue(sub.isActive());
        assertTrue(channel.errors.isEmpty(), "a transient refusal is not an error of the subscription");
    }

    @Test
    void aRefusedSubscriptionFailsAndEnds() throws Exception {
        SwitchboardClient client = connected(builder());
        Recorders.Channel channel = new Recorders.Channel();
        Subscription sub = client.subscribe("admin", channel);
        ScriptedServer.Peer peer = server.nextPeer();
        peer.send("{\"type\":\"error\",\"re\":\"" + peer.next("subscribe").path("id").asText()
                + "\",\"error\":{\"code\":\"forbidden\",\"message\":\"no\"}}");
        assertEquals("forbidden", failure(sub.ready()).code());
        assertEquals("forbidden", channel.errors.poll(5, TimeUnit.SECONDS).code());
        assertFalse(sub.isActive());
        client.subscribe("admin", channel); // the channel is free to subscribe again
    }

    @Test
    void anUnsubscribedChannelStaysQuietAndIsNotResubscribed() throws Exception {
        SwitchboardClient client = connected(builder());
        Recorders.Channel channel = new Recorders.Channel();
        Subscription sub = client.subscribe("chat:a", channel);
        ScriptedServer.Peer first = server.nextPeer();
        String subscribeId = first.next("subscribe").path("id").asText();
        CompletableFuture<Void> unsubscribed = sub.unsubscribe();
        assertEquals("unsubscribed", failure(sub.ready()).code(), "the unanswered subscribe is over");
        JsonNode unsubscribe = first.next("unsubscribe");
        assertEquals("chat:a", unsubscribe.path("data").path("channel").asText());
        first.reply(subscribeId, "{\"channel\":\"chat:a\",\"offset\":1,\"epoch\":\"e1\"}"); // late
        first.send(message(2));
        first.reply(unsubscribe.path("id").asText(), "{\"channel\":\"chat:a\"}");
        unsubscribed.get(5, TimeUnit.SECONDS);
        first.drop();
        ScriptedServer.Peer second = server.nextPeer();
        CompletableFuture<JsonNode> probe = client.request("probe", null);
        second.reply(second.next("probe").path("id").asText(), "{}"); // next() asserts no subscribe came first
        probe.get(5, TimeUnit.SECONDS);
        assertTrue(channel.messages.isEmpty() && channel.subscribed.isEmpty(), "nothing delivered");
    }

    @Test
    void streamDeliversChunksAndCancelSendsACancelFrame() throws Exception {
        SwitchboardClient client = connected(builder());
        ScriptedServer.Peer peer = server.nextPeer();
        ReplyStream stream = client.stream("demo.stream", Map.of("prompt", "hi"));
        String id = peer.next("demo.stream").path("id").asText();
        assertEquals(id, stream.id());
        LinkedBlockingQueue<String> words = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            for (JsonNode chunk : stream) {
                words.add(chunk.path("text").asText());
            }
        });
        peer.send("{\"type\":\"chunk\",\"re\":\"" + id + "\",\"data\":{\"text\":\"one\"}}");
        peer.send("{\"type\":\"chunk\",\"re\":\"" + id + "\",\"data\":{\"text\":\"two\"}}");
        assertEquals(List.of("one", "two"), Recorders.take(words, 2, "chunk"));

        stream.cancel();
        JsonNode cancel = peer.next("cancel");
        assertEquals(id, cancel.path("data").path("re").asText());
        assertTrue(cancel.path("id").isMissingNode(), "cancel is fire-and-forget");
        peer.send("{\"type\":\"end\",\"re\":\"" + id + "\",\"reason\":\"cancelled\"}");
        assertEquals("cancelled", stream.completion().get(5, TimeUnit.SECONDS));
        reader.join(5_000);
        assertFalse(reader.isAlive(), "the iterator ends with the stream");
    }

    @Test
    void streamWithCallbackCompletesAfterItsLastChunk() throws Exception {
        SwitchboardClient client = connected(builder());
        ScriptedServer.Peer peer = server.nextPeer();
        List<String> words = new CopyOnWriteArrayList<>();
        ReplyStream stream = client.stream("gen", null, chunk -> words.add(chunk.asText()));
        String id = peer.next("gen").path("id").asText();
        for (int i = 0; i < 50; i++) {
            peer.send("{\"type\":\"chunk\",\"re\":\"" + id + "\",\"data\":\"w" + i + "\"}");
        }
        peer.send("{\"type\":\"end\",\"re\":\"" + id + "\"}");
        assertNull(stream.completion().get(5, TimeUnit.SECONDS));
        assertEquals(50, words.size(), "every chunk callback ran before completion");
        assertEquals("w49", words.get(49));
    }

    @Test
    void aStreamFailsWhenItsConnectionDrops() throws Exception {
        SwitchboardClient client = connected(builder());
        ScriptedServer.Peer peer = server.nextPeer();
        ReplyStream stream = client.stream("gen", null);
        peer.next("gen");
        peer.drop();
        assertEquals(SwitchboardException.DISCONNECTED, failure(stream.completion()).code());
        SwitchboardException thrown = assertThrows(SwitchboardException.class, () -> stream.iterator().hasNext());
        assertEquals(SwitchboardException.DISCONNECTED, thrown.code());
    }

    @Test
    void aSilentServerIsDetectedByTheHeartbeatWatchdog() throws Exception {
        connected(builder().heartbeatTimeout(Duration.ofMillis(300)));
        server.nextPeer(); // sends welcome, then nothing: no pings
        ConnectionEvent down = events.await(ConnectionState.DISCONNECTED);
        assertTrue(down.reason().startsWith("heartbeat timeout"), down.reason());
        assertTrue(down.willReconnect());
        server.nextPeer();
    }

    @Test
    void directMessagesAndPresenceReachTheirCallbacks() throws Exception {
        LinkedBlockingQueue<Message> direct = new LinkedBlockingQueue<>();
        SwitchboardClient client = connected(builder().onMessage(direct::add));
        Recorders.Channel channel = new Recorders.Channel();
        client.subscribe("chat:a", channel);
        ScriptedServer.Peer peer = server.nextPeer();
        peer.reply(peer.next("subscribe").path("id").asText(), "{\"channel\":\"chat:a\",\"offset\":0,\"epoch\":\"e\"}");
        peer.send("{\"type\":\"message\",\"to\":\"alice\",\"ts\":5,\"from\":\"bob\",\"data\":{\"text\":\"psst\"}}");
        peer.send("{\"type\":\"presence\",\"channel\":\"chat:a\",\"event\":\"join\",\"user\":\"carol\",\"ts\":6}");
        Message m = direct.poll(5, TimeUnit.SECONDS);
        assertEquals("alice", m.to());
        assertEquals("bob", m.from());
        assertNull(m.channel());
        assertEquals("psst", m.data().path("text").asText());
        assertEquals(new PresenceEvent("chat:a", true, "carol", 6), channel.presence.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void closeFailsWhatIsPendingAndStopsForGood() throws Exception {
        SwitchboardClient client = connected(builder());
        ScriptedServer.Peer peer = server.nextPeer();
        CompletableFuture<JsonNode> pending = client.request("x", null);
        peer.next("x");
        client.close();
        assertEquals(SwitchboardException.CLOSED, failure(pending).code());
        ConnectionEvent down = events.await(ConnectionState.DISCONNECTED);
        assertEquals(1000, down.closeCode());
        assertFalse(down.willReconnect());
        assertEquals(SwitchboardException.CLOSED, failure(client.request("y", null)).code());
        assertEquals(SwitchboardException.CLOSED, failure(client.connect()).code());
        assertNull(server.pollPeer(200));
    }

    private static String message(long offset) {
        return "{\"type\":\"message\",\"channel\":\"chat:a\",\"offset\":" + offset
                + ",\"epoch\":\"e1\",\"ts\":1,\"from\":\"bob\",\"data\":{\"n\":" + offset + "}}";
    }
}
