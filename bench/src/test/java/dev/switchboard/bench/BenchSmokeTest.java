package dev.switchboard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.report.RunResult;
import dev.switchboard.bench.scenario.ClusterScenario;
import dev.switchboard.bench.scenario.ConnectionsScenario;
import dev.switchboard.bench.scenario.FanoutScenario;
import dev.switchboard.bench.scenario.PublishScenario;
import dev.switchboard.bench.scenario.RepliesScenario;
import dev.switchboard.bench.scenario.RpcScenario;
import dev.switchboard.bench.scenario.StreamsScenario;
import dev.switchboard.bench.targets.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;
import picocli.CommandLine;

/**
 * Short real runs (seconds) of the bench against the gateway's shaded jar, started by the tool on a random
 * loopback port, and the baselines (Node, Socket.IO, the floor): they prove the tool works end to end (connect, subscribe, publish,
 * deliver, measure, report) without asserting any timing. The gateway jar is built by the reactor before this
 * module (bench depends on the server module for that order). {@code cluster} also starts a redis-server
 * (scripts/install-deps.sh installs it).
 */
@Timeout(180)
@Tag("multi-process")
class BenchSmokeTest {

    @TempDir
    static Path out;

    @BeforeAll
    static void gatewayIsBuilt() {
        Path jar = Repo.gatewayJar();
        assertTrue(Files.isRegularFile(jar), "the gateway jar must be built first (mvn package/verify builds it"
                + " before this module): " + jar);
    }

    /**
     * A small heap for the gateways the smoke runs start, instead of the bench's pre-touched 1 GiB: a cluster
     * run starts three, and CI machines need not have the memory a measurement does.
     */
    private static final String[] SMALL_SERVER_JVM = {"--server-jvm=-Xms64m", "--server-jvm=-Xmx256m"};

    private static <T> T run(T command, String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(SMALL_SERVER_JVM))
                .toArray(String[]::new);
        int code = new CommandLine(command).execute(all);
        assertEquals(0, code, "exit code");
        return command;
    }

    @Test
    void publishComparesSingleBatchAndWebSocketPublishesAndWritesJson() throws Exception {
        PublishScenario publish = run(new PublishScenario(), "--duration", "1s", "--warmup", "300ms",
                "--concurrency", "4", "--batch", "10", "--out", out.toString());
        JsonNode modes = new ObjectMapper().readTree(publish.jsonFile().toFile()).get("modes");
        assertEquals(3, modes.size(), modes.toString());
        for (JsonNode m : modes) {
            assertTrue(m.get("published").asLong() > 0, m.toString());
        }
    }

    @Test
    void fanoutAgainstTheGatewayAndEveryBaselineDeliversAndWritesJsonAndChart() throws Exception {
        FanoutScenario fanout = run(new FanoutScenario(), "--subscribers", "20", "--rate", "50",
                "--duration", "2s", "--warmup", "500ms", "--client-threads", "1", "--baseline", "all",
                "--out", out.toString());
        assertEquals(List.of("switchboard", "node", "socketio", "floor"),
                fanout.report().runs().stream().map(RunResult::target).toList());
        for (RunResult r : fanout.report().runs()) {
            assertEquals(20L, ((Number) r.figures().get("subscribers")).longValue(), r.target());
            assertTrue(r.number("delivered") > 0, r.target() + " delivered nothing: " + r.figures());
            assertTrue(r.latency().getTotalCount() > 0, r.target());
        }
        assertNotNull(fanout.jsonFile());
        JsonNode json = new ObjectMapper().readTree(fanout.jsonFile().toFile());
        assertEquals("fanout", json.path("scenario").asText());
        assertEquals("switchboard", json.path("runs").get(0).path("target").asText());
        assertEquals("node", json.path("runs").get(1).path("target").asText());
        for (String baseline : List.of("node", "socketio", "floor")) {
            assertTrue(json.path("ratios").path(baseline).has("delivered_per_s"), json.toString());
        }
        assertNotNull(fanout.chartFile(), "chart written");
        assertTrue(Files.size(fanout.chartFile()) > 1000);
    }

    /**
     * The same fan-out published the way a backend does (HTTP) to the native protocol, to the gateway's Pusher
     * adapter (signed triggers, /app/KEY subscribers) and to Soketi: every publication reaches every subscriber
     * exactly once in each, which also proves the Pusher dialect's frames and signatures are what a real Pusher
     * server accepts.
     */
    @Test
    void fanoutOverHttpReachesNativeAndPusherSubscribersOnTheGatewayAndSoketi() {
        FanoutScenario fanout = run(new FanoutScenario(), "--subscribers", "20", "--rate", "50",
                "--duration", "2s", "--warmup", "500ms", "--client-threads", "1", "--publish-over", "http",
                "--baseline", "pusher,soketi", "--no-chart", "--out", out.toString());
        assertEquals(List.of("switchboard", "pusher", "soketi"),
                fanout.report().runs().stream().map(RunResult::target).toList());
        for (RunResult r : fanout.report().runs()) {
            assertEquals("http", r.figures().get("publish_over"), r.target());
            assertEquals(0.0, r.number("errors"), r.target() + ": " + r.figures());
            assertTrue(r.number("delivered") > 0, r.target() + " delivered nothing: " + r.figures());
            assertEquals(r.number("expected"), r.number("delivered"), r.target() + ": " + r.figures());
        }
    }

    @Test
    void repliesMeasuresPlainAndResumableStreamedReplies() {
        RepliesScenario replies = run(new RepliesScenario(), "--connections", "2", "--chunks", "5", "--interval", "5ms",
                "--duration", "1s", "--warmup", "300ms", "--client-threads", "1", "--no-chart", "--out", out.toString());
        assertEquals(List.of("plain", "resumable"), replies.report().runs().stream().map(RunResult::target).toList());
        for (RunResult r : replies.report().runs()) {
            assertTrue(r.number("chunks") > 0, r.target() + ": " + r.figures());
            assertEquals(0.0, r.number("errors"), r.target() + ": " + r.figures());
        }
    }

    @Test
    void streamsAppendsAndReadsOnTheGatewayAndTheReferenceServer() {
        StreamsScenario streams = run(new StreamsScenario(), "--streams", "200", "--writers", "2", "--readers", "2",
                "--duration", "1s", "--warmup", "300ms", "--baseline", "durable-streams", "--no-chart",
                "--out", out.toString());
        assertEquals(List.of("switchboard", "durable-streams"), streams.report().runs().stream().map(RunResult::target).toList());
        for (RunResult r : streams.report().runs()) {
            assertTrue(r.number("appends_per_s") > 0 && r.number("reads_per_s") > 0, r.target() + ": " + r.figures());
            assertEquals(0.0, r.number("append_failures") + r.number("read_failures"), r.target() + ": " + r.figures());
        }
    }

    @Test
    void connectionsReportsServerMemoryPerConnection() {
        ConnectionsScenario connections = run(new ConnectionsScenario(), "--count", "300", "--rate", "3000",
                "--hold", "200ms", "--client-threads", "1", "--no-chart", "--out", out.toString());
        RunResult r = connections.report().runs().get(0);
        assertEquals(300L, ((Number) r.figures().get("connected")).longValue(), r.figures().toString());
        assertTrue(r.figures().containsKey("rss_per_connection_bytes"), r.figures().toString());
        assertTrue(r.figures().containsKey("heap_per_connection_bytes"), r.figures().toString());
    }

    @Test
    void rpcRoundTrips() {
        RpcScenario rpc = run(new RpcScenario(), "--connections", "4", "--window", "2", "--duration", "1s",
                "--warmup", "300ms", "--client-threads", "1", "--no-chart", "--via-hook", "--baseline", "socketio,floor",
                "--out", out.toString());
        RunResult r = rpc.report().runs().get(0);
        assertTrue(r.number("round_trips") > 0, r.figures().toString());
        RunResult hooked = rpc.report().runs().get(1); // the same load through the RPC hook's loopback backend
        assertEquals("switchboard-rpc-hook", hooked.target());
        assertTrue(hooked.number("round_trips") > 0 && hooked.number("errors") == 0, hooked.figures().toString());
        // Socket.IO's acks and the floor's echo answer the same requests in their framing
        for (RunResult baseline : rpc.report().runs().subList(2, 4)) {
            assertTrue(baseline.number("round_trips") > 0 && baseline.number("errors") == 0,
                    baseline.target() + ": " + baseline.figures());
        }
    }

    @Test
    void clusterDeliversAcrossThreeNodesOnRedisAndComparesWithSocketIoAndOneNode() throws Exception {
        ClusterScenario cluster = run(new ClusterScenario(), "--subscribers", "30", "--rate", "20",
                "--duration", "2s", "--warmup", "500ms", "--client-threads", "1", "--no-chart",
                "--baseline", "socketio", "--out", out.toString());
        assertEquals(List.of("3-nodes-redis", "socketio-3-nodes-redis", "1-node-memory"),
                cluster.report().runs().stream().map(RunResult::target).toList());
        RunResult nodes = cluster.report().runs().get(0);
        RunResult socketIo = cluster.report().runs().get(1);
        assertEquals("[10, 10, 10]", nodes.figures().get("subscribers_per_node"), nodes.figures().toString());
        for (RunResult r : cluster.report().runs()) {
            assertEquals(30L, ((Number) r.figures().get("subscribers")).longValue(), r.target());
            assertTrue(r.number("delivered") > 0, r.target() + " delivered nothing: " + r.figures());
            assertEquals(0L, ((Number) r.figures().get("errors")).longValue(), r.target() + ": " + r.notes());
        }
        // subscribers on nodes 2 and 3 only receive through Redis: cross-node delivery really happened
        assertTrue(nodes.number("other_nodes_deliveries") > 0, nodes.figures().toString());
        assertTrue(nodes.number("same_node_deliveries") > 0, nodes.figures().toString());
        assertTrue(socketIo.number("other_nodes_deliveries") > 0, "the redis adapter carried them: " + socketIo.figures());
        JsonNode json = new ObjectMapper().readTree(cluster.jsonFile().toFile());
        assertTrue(json.path("ratios").path("1-node-memory").has("delivered_per_s"), json.toString());
        List<String> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("redis-server") || c.contains("switchboard.jar") || c.contains("server.js")).toList();
        assertEquals(List.of(), left, "processes left running after the run");
    }

    @Test
    void rollingRestartOfThreeNodesLosesNothing() {
        run(new dev.switchboard.bench.scenario.RollingScenario(), "--clients", "30", "--channels", "3", "--rate", "20",
                "--settle", "500ms", "--shutdown-delay", "300ms", "--shutdown-spread", "300ms", "--modes", "spread",
                "--out", out.toString()); // exit 0: nothing lost or doubled
    }
}
