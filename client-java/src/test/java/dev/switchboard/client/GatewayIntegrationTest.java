package dev.switchboard.client;

import dev.switchboard.protocol.schema.FrameSchema;

import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.protocol.HistoryPage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.Gateway;
import dev.switchboard.server.internal.handlers.DemoStreamHandler;
import dev.switchboard.server.config.GatewayConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against the real gateway, started in-process in dev mode on a random loopback port. */
@Timeout(30)
class GatewayIntegrationTest {

    private static Gateway gateway;
    private final List<SwitchboardClient> clients = new ArrayList<>();
    private final List<Gateway> extraGateways = new ArrayList<>();

    @BeforeAll
    static void startGateway() throws InterruptedException {
        gateway = new Gateway(config(0)).start();
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    /** Every frame between the SDK and the gateway, checked against the protocol schema. */
    private final FrameSchema.Tap schema = new FrameSchema.Tap(true);

    @AfterEach
    void closeClients() {
        clients.forEach(SwitchboardClient::close);
        extraGateways.forEach(Gateway::close);
        schema.assertClean();
    }

    private static GatewayConfig config(int port) {
        GatewayConfig config = new GatewayConfig();
        config.host = "127.0.0.1";
        config.port = port;
        config.dev = true;
        config.drainTimeout = Duration.ofSeconds(2);
        return config;
    }

    private SwitchboardClientBuilder builder(Gateway gw, String user) {
        return SwitchboardClient.builder()
                .url("ws://127.0.0.1:" + gw.port() + "/ws")
                .tokenSupplier(DevTickets.forUser("http://127.0.0.1:" + gw.port(), user))
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(500), 2)
                .connectTimeout(Duration.ofSeconds(2)) // a stuck handshake is retried well within the test's waits
                .frameListener(FrameListener.of(schema::sent, schema::received));
    }

    private SwitchboardClient connect(SwitchboardClientBuilder builder) throws Exception {
        SwitchboardClient client = builder.build();
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    private SwitchboardClient connect(String user) throws Exception {
        return connect(builder(gateway, user));
    }

    private static SwitchboardException failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
        return assertInstanceOf(SwitchboardException.class, e.getCause());
    }

    @Test
    void theTicketIsRenewedInPlaceSoTheConnectionOutlivesIt() throws Exception {
        GatewayConfig shortTickets = config(0);
        shortTickets.ticketTtl = Duration.ofSeconds(2);
        shortTickets.refreshGrace = Duration.ofMillis(1500);
        Gateway gw = new Gateway(shortTickets).start();
        extraGateways.add(gw);
        List<ConnectionEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        SwitchboardClient client = connect(builder(gw, "alice").listener(events::add));
        String connectionId = client.welcome().connection();
        long until = System.currentTimeMillis() + 6_000; // three tickets and more than one grace period
        while (System.currentTimeMillis() < until) {
            assertEquals(1, client.request("echo", Map.of("n", 1), Duration.ofSeconds(2)).join().path("n").asInt());
            Thread.sleep(250); // pacing the probe requests, not synchronising
        }
        assertEquals(connectionId, client.welcome().connection(), "the same connection: never reconnected");
        assertTrue(events.stream().noneMatch(e -> e.state() == ConnectionState.DISCONNECTED), events.toString());
    }

    @Test
    void theReadmeQuickStartRuns() throws Exception {
        String base = "127.0.0.1:" + gateway.port();
        StringBuilder out = new StringBuilder();
        // client-java/README.md's quick start, printing into `out`
        SwitchboardClient client = SwitchboardClient.builder()
                .url("ws://" + base + "/ws")
                .tokenSupplier(DevTickets.forUser("http://" + base, "alice"))
                .listener(e -> out.append(e.state() + " " + e.closeCode() + " " + e.reason() + "\n"))
                .build();
        clients.add(client);
        client.connect().get(5, TimeUnit.SECONDS);
        LinkedBlockingQueue<String> lobby = new LinkedBlockingQueue<>();
        client.subscribe("chat:lobby", m -> lobby.add(m.from() + ": " + m.data().path("text").asText()));
        client.publish("chat:lobby", Map.of("text", "hello")).join();
        JsonNode echoed = client.request("echo", Map.of("n", 1), Duration.ofSeconds(2)).join();
        for (JsonNode chunk : client.stream("demo.stream", Map.of("prompt", "hi"))) out.append(chunk.path("text").asText());
        client.close();

        assertEquals("alice: hello", lobby.poll(5, TimeUnit.SECONDS));
        assertEquals(1, echoed.path("n").asInt());
        assertTrue(out.toString().contains("You asked: \"hi\""), out.toString());
    }

    @Test
    void requestGetsItsReplyAndServerErrorsKeepTheirWireCode() throws Exception {
        SwitchboardClient alice = connect("alice");
        assertEquals("alice", alice.welcome().user());
        JsonNode echoed = alice.request("echo", Map.of("n", 42, "s", "x")).get(5, TimeUnit.SECONDS);
        assertEquals(42, echoed.path("n").asInt());
        assertEquals("unknown_type", failure(alice.request("no.such.type", null)).code());
        schema.tolerate("has space"); // an invalid channel name on purpose: the server's refusal is the point
        assertEquals("bad_request", failure(alice.publish("has space", "x")).code());
    }

    @Test
    void aRejectedTicketStopsTheClient() throws Exception {
        Recorders.Events events = new Recorders.Events();
        SwitchboardClient client = builder(gateway, "x").token("not-a-ticket").listener(events).build();
        clients.add(client);
        assertEquals(SwitchboardException.CLOSED, failure(client.connect()).code());
        ConnectionEvent down = events.await(ConnectionState.DISCONNECTED);
        assertEquals(4003, down.closeCode());
        assertFalse(down.willReconnect());
    }

    @Test
    void aRequestTimesOut() throws Exception {
        SwitchboardClient alice = connect("alice");
        // demo.stream takes seconds to end and never sends a plain reply
        CompletableFuture<JsonNode> reply = alice.request("demo.stream", Map.of("prompt", "slow"), Duration.ofMillis(300));
        assertEquals(SwitchboardException.TIMEOUT, failure(reply).code());
        assertEquals(ConnectionState.CONNECTED, alice.state());
    }

    @Test
    void aStreamIteratedOnAVirtualThreadRunsToItsEnd() throws Exception {
        SwitchboardClient alice = connect("alice");
        ReplyStream stream = alice.stream("demo.stream", Map.of("prompt", "hello"));
        StringBuilder text = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            for (JsonNode chunk : stream) {
                text.append(chunk.path("text").asText());
            }
        });
        assertNull(stream.completion().get(10, TimeUnit.SECONDS), "a normal end has no reason");
        reader.join(5_000);
        assertTrue(text.toString().startsWith("You asked: \"hello\". Switchboard streams"), text.toString());
        assertTrue(text.toString().split(" ").length > 30, text.toString());
    }

    @Test
    void cancellingAStreamStopsIt() throws Exception {
        SwitchboardClient alice = connect("alice");
        List<String> words = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        ReplyStream stream = alice.stream("demo.stream", Map.of("prompt", "stop me"), chunk -> {
            words.add(chunk.path("text").asText());
            three.countDown();
        });
        assertTrue(three.await(5, TimeUnit.SECONDS));
        stream.cancel();
        assertEquals("cancelled", stream.completion().get(5, TimeUnit.SECONDS));
        int seen = words.size();
        assertTrue(seen < 20, "stopped early, after " + seen + " words");
        // the connection is fine afterwards
        assertEquals(1, alice.request("echo", Map.of("k", 1)).get(5, TimeUnit.SECONDS).path("k").asInt());
        assertEquals(seen, words.size(), "no chunk after the end");
    }

    @Test
    void aResumableReplySurvivesADroppedConnectionAndCanBeResumedElsewhere() throws Exception {
        try (CutProxy proxy = new CutProxy(gateway.port())) {
            SwitchboardClient alice = connect(builder(gateway, "alice").url("ws://127.0.0.1:" + proxy.port() + "/ws"));
            List<String> words = new CopyOnWriteArrayList<>();
            CountDownLatch three = new CountDownLatch(3);
            ReplyStream stream = alice.resumableStream("demo.stream", Map.of("prompt", "resume me"), chunk -> {
                words.add(chunk.path("text").asText());
                three.countDown();
            });
            assertTrue(three.await(5, TimeUnit.SECONDS));
            proxy.cut(); // the gateway keeps producing into the reply's stream
            Thread.sleep(200); // an outage that outlasts a few words (no condition to wait for: it is the scenario)
            proxy.heal();
            assertNull(stream.completion().get(15, TimeUnit.SECONDS), "the reply completed");
            String text = String.join("", words);
            assertEquals(DemoStreamHandler.answer("resume me") + " ", text, "every word once, in order, across the drop");
            assertTrue(stream.stream().startsWith("replies/"), stream.stream());

            // the same reply, read again from its start by another connection of the same user
            SwitchboardClient tab = connect("alice");
            StringBuilder again = new StringBuilder();
            ReplyStream resumed = tab.resume(stream.stream(), "-1", chunk -> again.append(chunk.path("text").asText()));
            assertNull(resumed.completion().get(10, TimeUnit.SECONDS));
            assertEquals(text, again.toString());
        }
    }

    @Test
    void publishReachesSubscribersWithOffsetsAndPresenceIsReported() throws Exception {
        SwitchboardClient alice = connect("alice");
        SwitchboardClient bob = connect("bob");
        Recorders.Channel aliceSide = new Recorders.Channel();
        alice.subscribe("chat:room", aliceSide).ready().get(5, TimeUnit.SECONDS);
        bob.subscribe("chat:room", m -> { }).ready().get(5, TimeUnit.SECONDS);

        PresenceEvent join = Recorders.await(aliceSide.presence, e -> e.user().equals("bob"), "bob's join");
        assertTrue(join.joined());
        Set<String> present = alice.presence("chat:room").get(5, TimeUnit.SECONDS).stream()
                .map(PresenceUser::user).collect(Collectors.toSet());
        assertEquals(Set.of("alice", "bob"), present);

        StreamPosition published = bob.publish("chat:room", Map.of("text", "hi")).get(5, TimeUnit.SECONDS);
        Message m = aliceSide.messages.poll(5, TimeUnit.SECONDS);
        assertEquals("bob", m.from());
        assertEquals("hi", m.data().path("text").asText());
        assertEquals(published, m.position());

        bob.close();
        PresenceEvent leave = Recorders.await(aliceSide.presence, e -> !e.joined(), "bob's leave");
        assertEquals("bob", leave.user());
    }

    @Test
    void historyReturnsRetainedPublicationsAfterAnOffset() throws Exception {
        SwitchboardClient alice = connect("alice");
        List<StreamPosition> positions = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            positions.add(alice.publish("news:history", Map.of("n", n)).get(5, TimeUnit.SECONDS));
        }
        HistoryPage<Message> all = alice.history("news:history", null, 10, false).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(1, 2, 3), all.publications().stream().map(m -> m.data().path("n").asInt()).toList());
        assertEquals(positions.get(2), all.position());
        assertTrue(all.complete());
        HistoryPage<Message> after = alice.history("news:history", positions.get(0), 10, false).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(positions.get(1), positions.get(2)),
                after.publications().stream().map(Message::position).toList());
        assertEquals("alice", after.publications().get(0).from());
    }

    @Test
    void sendReachesEveryConnectionOfTheUser() throws Exception {
        LinkedBlockingQueue<Message> tab1 = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Message> tab2 = new LinkedBlockingQueue<>();
        connect(builder(gateway, "carol").onMessage(tab1::add));
        connect(builder(gateway, "carol").onMessage(tab2::add));
        SwitchboardClient dave = connect("dave");
        dave.send("carol", Map.of("text", "psst")).get(5, TimeUnit.SECONDS);
        for (LinkedBlockingQueue<Message> tab : List.of(tab1, tab2)) {
            Message m = tab.poll(5, TimeUnit.SECONDS);
            assertEquals("carol", m.to());
            assertEquals("dave", m.from());
            assertEquals("psst", m.data().path("text").asText());
            assertNull(m.channel());
        }
    }

    @Test
    void aRefusedSubscriptionFailsWithTheServersCode() throws Exception {
        SwitchboardClient alice = connect("alice");
        schema.tolerate("has space"); // an invalid channel name on purpose: the server's refusal is the point
        Subscription sub = alice.subscribe("has space", m -> { });
        assertEquals("bad_request", failure(sub.ready()).code());
        assertFalse(sub.isActive());
    }

    @Test
    void reconnectsAfterTheGatewayRestartsOnTheSamePortAndResubscribes() throws Exception {
        Gateway first = new Gateway(config(0)).start();
        int port = first.port();
        Recorders.Events events = new Recorders.Events();
        SwitchboardClient alice = connect(builder(first, "alice").listener(events));
        SwitchboardClient bob = connect(builder(first, "bob"));
        Recorders.Channel channel = new Recorders.Channel();
        alice.subscribe("chat:restart", channel).ready().get(5, TimeUnit.SECONDS);
        bob.publish("chat:restart", Map.of("n", 1)).get(5, TimeUnit.SECONDS);
        assertEquals(1, channel.messages.poll(5, TimeUnit.SECONDS).data().path("n").asInt());
        String firstConnection = alice.welcome().connection();
        events.await(ConnectionState.CONNECTED);

        first.close(); // drains: every socket is closed with 1012 (restarting)
        ConnectionEvent down = events.await(ConnectionState.DISCONNECTED);
        assertEquals(1012, down.closeCode());
        assertTrue(down.willReconnect());
        assertTrue(down.retryIn().toMillis() < 1000, "a restart is followed at once, not by backoff");

        Gateway second = new Gateway(config(port)).start(); // a new process, in effect: new ticket key, new history
        extraGateways.add(second);
        ConnectionEvent up = events.await(ConnectionState.CONNECTED);
        assertNotEquals(firstConnection, up.welcome().connection());
        channel.subscribed.take();
        SubscribeResult again = channel.subscribed.poll(5, TimeUnit.SECONDS);
        assertTrue(again.resubscribed(), again.toString());

        bob.connect().get(10, TimeUnit.SECONDS);
        bob.publish("chat:restart", Map.of("n", 2)).get(5, TimeUnit.SECONDS);
        Message after = channel.messages.poll(5, TimeUnit.SECONDS);
        assertEquals(2, after.data().path("n").asInt(), "live again on the new gateway");
        assertNull(channel.messages.poll(200, TimeUnit.MILLISECONDS), "nothing twice");
        // the new in-memory engine has a new history epoch: what was missed cannot be recovered, and the app is told
        assertFalse(again.recovered(), again.toString());
        assertEquals(again, channel.recoveryFailed.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void messagesMissedDuringANetworkCutAreRecoveredOrTheGapIsReported() throws Exception {
        SwitchboardClient bob = connect("bob");
        // does this gateway implement recovery (subscribe with since)? it then answers with "recovered"
        JsonNode probe = bob.request("subscribe", Map.of("channel", "chat:probe",
                "since", Map.of("offset", 0, "epoch", "probe"))).get(5, TimeUnit.SECONDS);
        boolean serverRecovers = probe.has("recovered");

        try (CutProxy proxy = new CutProxy(gateway.port())) {
            Recorders.Events events = new Recorders.Events();
            SwitchboardClient alice = connect(builder(gateway, "alice")
                    .url("ws://127.0.0.1:" + proxy.port() + "/ws").listener(events));
            Recorders.Channel channel = new Recorders.Channel();
            alice.subscribe("chat:recover", channel).ready().get(5, TimeUnit.SECONDS);
            bob.publish("chat:recover", Map.of("n", 1)).get(5, TimeUnit.SECONDS);
            assertEquals(1, channel.messages.poll(5, TimeUnit.SECONDS).data().path("n").asInt());

            proxy.cut();
            assertEquals(SwitchboardClient.ABNORMAL_CLOSURE, events.await(ConnectionState.DISCONNECTED).closeCode());
            for (int n = 2; n <= 4; n++) {
                bob.publish("chat:recover", Map.of("n", n)).get(5, TimeUnit.SECONDS);
            }
            proxy.heal();
            channel.subscribed.take();
            SubscribeResult again = channel.subscribed.poll(10, TimeUnit.SECONDS);
            assertTrue(again.resubscribed());
            bob.publish("chat:recover", Map.of("n", 5)).get(5, TimeUnit.SECONDS);

            if (serverRecovers) {
                assertTrue(again.recovered(), again.toString());
                assertEquals(List.of(2, 3, 4, 5), Recorders.take(channel.messages, 4, "message").stream()
                        .map(m -> m.data().path("n").asInt()).toList());
            } else {
                // a gateway without recovery: the client sees from the offsets that 3 messages were lost
                assertFalse(again.recovered(), again.toString());
                assertEquals(again, channel.recoveryFailed.poll(5, TimeUnit.SECONDS));
                assertEquals(5, channel.messages.poll(5, TimeUnit.SECONDS).data().path("n").asInt());
            }
            assertNull(channel.messages.poll(200, TimeUnit.MILLISECONDS), "nothing twice");
        }
    }
}
