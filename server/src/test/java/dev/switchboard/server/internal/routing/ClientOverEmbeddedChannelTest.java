package dev.switchboard.server.internal.routing;

import dev.switchboard.server.internal.delivery.ChannelFormats;
import dev.switchboard.server.internal.delivery.ChannelPolicies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.GlobPattern;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.Publication;
import dev.switchboard.server.app.ConnectRequest;
import dev.switchboard.server.app.ConnectResult;
import dev.switchboard.server.app.GatewayEvents;
import dev.switchboard.server.app.HandlerOptions;
import dev.switchboard.server.app.LifecycleHooks;
import dev.switchboard.server.engine.Engines;
import dev.switchboard.server.engine.RetentionRules;
import dev.switchboard.server.engine.memory.MemoryEngines;
import dev.switchboard.server.internal.auth.Permissions;
import dev.switchboard.server.internal.auth.TicketIssuer;
import dev.switchboard.server.internal.auth.TicketVerifier;
import dev.switchboard.server.internal.delivery.ChannelMembership;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.delivery.Hub;
import dev.switchboard.server.internal.delivery.LocalRegistry;
import dev.switchboard.server.internal.handlers.BuiltinHandlers;
import dev.switchboard.server.internal.observe.Tracing;
import dev.switchboard.server.internal.operations.Operations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection's {@link Client} driven without a port: frames in through {@link Client#onText}, frames out
 * captured from an {@link EmbeddedChannel}, the memory engine underneath. Covers what is hard to time over a
 * socket: the order of admissions, cancellation of a running handler, and the recovery hand-off.
 */
class ClientOverEmbeddedChannelTest {

    private static final byte[] SECRET = "a-test-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);

    private final Clock clock = Clock.systemUTC();
    private final Engines engines = MemoryEngines.create(RetentionRules.defaults(), clock);
    private final LocalRegistry registry = new LocalRegistry(new SimpleMeterRegistry());
    private final ChannelMembership membership = new ChannelMembership(registry, engines.broker(), engines.presence(),
            ChannelPolicies.flat(List.of(new GlobPattern("room:*"))), new ChannelFormats(), clock);
    private final Hub hub = new Hub(engines, registry, membership, clock, new SimpleMeterRegistry());
    private final Operations operations = new Operations(hub, registry, membership, engines, "n1", clock);
    private final TicketIssuer issuer = new TicketIssuer(SECRET, Duration.ofMinutes(5), clock);
    private final EndpointRoutes endpoint = new EndpointRoutes("/ws", false);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    ClientOverEmbeddedChannelTest() {
        BuiltinHandlers.install(endpoint);
        hub.start("n1");
    }

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        engines.close();
    }

    /** A client on its own embedded channel; every frame written to it lands in {@code frames}. */
    private record Peer(Client client, Connection connection, EmbeddedChannel channel, BlockingQueue<JsonNode> frames) {

        void send(String json) {
            client.onText(json.getBytes(StandardCharsets.UTF_8));
        }

        /** The next frame written, running the channel's queued tasks (fan-out, recovery) while waiting. */
        JsonNode next() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                channel.runPendingTasks();
                JsonNode f = frames.poll(10, TimeUnit.MILLISECONDS);
                if (f != null) {
                    return f;
                }
            }
            throw new AssertionError("no frame within 5 s");
        }

        /** Whether nothing more is written once queued tasks have run. */
        boolean quiet() throws InterruptedException {
            channel.runPendingTasks();
            return frames.poll(50, TimeUnit.MILLISECONDS) == null;
        }
    }

    private Peer peer(String id, LifecycleHooks hooks) {
        BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        // Captures what the connection writes (frames from handler threads too: the queue is thread-safe).
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof TextWebSocketFrame text) {
                    frames.add(Json.parse(text.text()));
                }
                io.netty.util.ReferenceCountUtil.release(msg);
                promise.trySuccess();
            }
        });
        channels.add(channel);
        Permissions defaults = new Permissions(List.of(new GlobPattern("*")), List.of(new GlobPattern("*")), false);
        ClientSettings settings = new ClientSettings("n1", TicketVerifier.hmac(SECRET, defaults, clock), defaults,
                Permissions.NONE, 1000, 1000, 100, new ClientMetrics(new SimpleMeterRegistry()), hooks,
                GatewayEvents.NONE, Set.of(), 100, Tracing.OFF);
        Connection connection = new Connection(id, channel, "/ws", "s-" + id, clock.millis(), 1 << 20);
        Client client = new Client(connection, endpoint, new NodeServices(registry, membership, operations), settings);
        return new Peer(client, connection, channel, frames);
    }

    private Peer welcomed(String id, String user) throws InterruptedException {
        Peer p = peer(id, LifecycleHooks.NONE);
        p.client().start(issuer.issue(user, null, null, null), Map.of());
        assertEquals("welcome", p.next().path("type").asText());
        return p;
    }

    @Test
    void anAuthSentWhileTheConnectHookIsOutWaitsForItAndIsThenRefusedAsAlreadyAuthenticated() throws Exception {
        CompletableFuture<ConnectResult> upgradeDecision = new CompletableFuture<>();
        AtomicInteger asked = new AtomicInteger();
        LifecycleHooks hooks = new LifecycleHooks() {
            @Override
            public boolean decidesConnect() {
                return true;
            }

            @Override
            public CompletableFuture<ConnectResult> connect(ConnectRequest request) {
                return asked.incrementAndGet() == 1 ? upgradeDecision
                        : CompletableFuture.completedFuture(new ConnectResult.Accepted("second", null, null, null));
            }
        };
        Peer p = peer("c1", hooks);
        p.client().start(null, Map.of());
        p.send("{\"id\":\"a1\",\"type\":\"auth\",\"data\":{\"token\":\"" + issuer.issue("alice", null, null, null) + "\"}}");
        assertTrue(p.quiet(), "nothing is answered while the upgrade's hook call is out");
        assertFalse(p.connection().isIdentified());

        upgradeDecision.complete(new ConnectResult.Accepted("first", null, null, null));
        JsonNode welcome = p.next();
        assertEquals("welcome", welcome.path("type").asText());
        assertEquals("first", welcome.path("user").asText());
        JsonNode refusal = p.next();
        assertEquals("error", refusal.path("type").asText());
        assertEquals("a1", refusal.path("re").asText());
        assertEquals("already_authenticated", refusal.path("error").path("code").asText());
        assertEquals(1, asked.get(), "the queued auth never reached the hook");
        assertEquals("first", p.connection().user());
    }

    @Test
    void cancelReachesARunningHandlerAndEndsItsStream() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch sawCancel = new CountDownLatch(1);
        endpoint.on("slow.stream", (ctx, msg) -> {
            ctx.chunk(Map.of("n", 1));
            started.countDown();
            while (!ctx.isCancelled()) {
                Thread.onSpinWait();
            }
            sawCancel.countDown();
        }, HandlerOptions.DEFAULT);
        Peer p = welcomed("c2", "bob");
        p.send("{\"id\":\"s1\",\"type\":\"slow.stream\",\"data\":{}}");
        assertEquals("chunk", p.next().path("type").asText());
        assertTrue(started.await(5, TimeUnit.SECONDS));
        p.send("{\"type\":\"cancel\",\"data\":{\"re\":\"s1\"}}");
        assertTrue(sawCancel.await(5, TimeUnit.SECONDS), "the handler saw isCancelled()");
        JsonNode end = p.next();
        assertEquals("end", end.path("type").asText());
        assertEquals("s1", end.path("re").asText());
        assertEquals("cancelled", end.path("reason").asText());
        assertEquals(0, p.client().openRequestCount());
    }

    @Test
    void recoveryHandsOverFromHistoryToLivePublicationsWithoutGapOrDouble() throws Exception {
        Peer first = welcomed("c3", "carol");
        first.send("{\"id\":\"1\",\"type\":\"subscribe\",\"data\":{\"channel\":\"news\"}}");
        assertEquals("reply", first.next().path("type").asText());
        Publication p1 = operations.publish("news", null, Map.of("n", 1), null).join();
        operations.publish("news", null, Map.of("n", 2), null).join();
        operations.publish("news", null, Map.of("n", 3), null).join();

        Peer returning = welcomed("c4", "dave");
        returning.send("{\"id\":\"r\",\"type\":\"subscribe\",\"data\":{\"channel\":\"news\",\"since\":{\"offset\":"
                + p1.offset() + ",\"epoch\":\"" + p1.epoch() + "\"}}}");
        // History is read (the memory engine answers at once) but the reply waits for the connection's loop;
        // what is published meanwhile is held for this connection, not written before the reply.
        operations.publish("news", null, Map.of("n", 4), null).join();
        operations.publish("news", null, Map.of("n", 5), null).join();

        JsonNode reply = returning.next();
        assertEquals("reply", reply.path("type").asText());
        assertTrue(reply.path("data").path("recovered").asBoolean());
        List<Integer> seen = new ArrayList<>();
        reply.path("data").path("publications").forEach(m -> seen.add(m.path("data").path("n").asInt()));
        for (int i = 0; i < 2; i++) {
            seen.add(returning.next().path("data").path("n").asInt());
        }
        operations.publish("news", null, Map.of("n", 6), null).join();
        seen.add(returning.next().path("data").path("n").asInt());
        assertEquals(List.of(2, 3, 4, 5, 6), seen);
        assertTrue(returning.quiet(), "nothing twice");
        assertEquals(0, (int) membership.sizes().get("recoveries"), "the cursor retired at the first newer publication");
    }

    @Test
    void aClosedConnectionLeavesEveryRegistry() throws Exception {
        Peer p = welcomed("c5", "erin");
        p.send("{\"id\":\"1\",\"type\":\"subscribe\",\"data\":{\"channel\":\"room:1\"}}");
        assertEquals("reply", p.next().path("type").asText());
        assertEquals(1, operations.presence("room:1").join().size());
        p.client().onClosed();
        assertEquals(0, registry.connectionCount());
        assertTrue(registry.sizes().values().stream().allMatch(v -> v == 0), registry.sizes().toString());
        assertTrue(membership.sizes().values().stream().allMatch(v -> v == 0), membership.sizes().toString());
        assertEquals(0, operations.presence("room:1").join().size());
        assertNotNull(p.connection().phase());
        assertEquals(Connection.Phase.CLOSED, p.connection().phase());
    }
}
