package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.BenchConnection;
import dev.switchboard.bench.client.Connector;
import dev.switchboard.bench.client.LoadClient;
import dev.switchboard.bench.client.Payloads;
import dev.switchboard.bench.metrics.LatencyRecorder;
import dev.switchboard.bench.report.Headline;
import dev.switchboard.bench.report.Percentiles;
import dev.switchboard.bench.report.RunResult;
import dev.switchboard.bench.targets.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * S subscribers on one channel and a publisher: delivered messages/s and publish→deliver latency. Subscribers
 * spread over the target's nodes (one for a single gateway; {@code bench cluster} extends this with several).
 */
@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = "S subscribers on one channel, one publisher at a fixed rate or max.")
public class FanoutScenario extends ScenarioCommand {

    @Option(names = {"-s", "--subscribers"}, description = "Subscribers (default: ${DEFAULT-VALUE}).")
    int subscribers;

    /** How publications reach the target. */
    enum PublishOver { auto, ws, http }

    @Option(names = "--publish-over", description = "ws (a publishing socket), http (the target's HTTP publish API,"
            + " as a backend publishes), or auto: ws where the protocol lets a client publish, http elsewhere"
            + " (the pusher and soketi targets). Default: ${DEFAULT-VALUE}.")
    PublishOver publishOver = PublishOver.auto;

    /** fanout's defaults: 1,000 subscribers, 100 publications/s. */
    @Mixin
    final PublishOptions publish;

    public FanoutScenario() {
        this(1000, 100);
    }

    /** A fanout with its own defaults for the subscriber count and the publication rate. */
    protected FanoutScenario(int defaultSubscribers, double defaultRate) {
        this.subscribers = defaultSubscribers;
        this.publish = new PublishOptions(defaultRate, 4, 1_000_000);
    }

    @Override
    protected String name() {
        return "fanout";
    }

    /** Which node publishes ({@link NodeSpread#of}): the first; {@code bench cluster} makes it an option. */
    protected String publishVia() {
        return "1";
    }

    @Override
    protected List<Headline> headlines() {
        return PubSubLoad.HEADLINES;
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("subscribers", subscribers);
        p.put("rate", publish.describeRate());
        p.put("payloadBytes", publish.size);
        return p;
    }

    @Override
    protected RunResult runAgainst(Target target, LoadClient client) throws Exception {
        RunResult result = new RunResult(target.name(), target.describe());
        List<? extends Target> nodes = target.nodes();
        NodeSpread spread = NodeSpread.of(nodes.size(), publishVia());
        String channel = "bench:" + name();
        String token = target.token("bench-subscriber");
        // the same-node/other-nodes split costs a second recording per delivery: only where there are nodes
        PubSubLoad load = nodes.size() > 1 ? new PubSubLoad(c -> spread.group(c.index()), 2) : new PubSubLoad();
        Connector connector = new Connector(client, new LatencyRecorder());
        Connector.Outcome subs = connector.open(subscribers, common.connectRate, 2000,
                i -> nodes.get(spread.subscriberNode(i)).ws(token), load.inbound, Duration.ofSeconds(120), null);
        result.put("subscribers", subs.connections().size());
        result.put("subscriber_connect_failures", subs.failed());
        if (!subs.failureReasons().isEmpty()) {
            result.note("connect failures: " + subs.failureReasons());
        }
        if (nodes.size() > 1) {
            int[] perNode = new int[nodes.size()];
            subs.connections().forEach(c -> perNode[spread.subscriberNode(c.index())]++);
            result.put("subscribers_per_node", Arrays.toString(perNode));
            result.put("publish_via", spread.onePublishingNode() ? "n" + (spread.via() + 1) : "round-robin");
        }
        String subscribe = new Payloads(publish.size, target.dialect()).subscribe(channel);
        for (BenchConnection c : subs.connections()) {
            c.send(subscribe);
        }
        int expectedSubs = subs.connections().size();
        if (!Waits.until(() -> load.subscribed.sum() >= expectedSubs, Duration.ofSeconds(60))) {
            result.note("only " + load.subscribed.sum() + " of " + expectedSubs + " subscriptions confirmed");
        }
        int stopped = stopReading(subs.connections(), result);
        String publisherToken = target.token("bench-publisher");
        List<BenchConnection> publishers = new ArrayList<>();
        PubSubLoad.Sender sender = null;
        try {
            for (int k = 0; k < spread.publishers(); k++) {
                publishers.add(client.connect(nodes.get(spread.publisherNode(k)).ws(publisherToken), subscribers + k,
                        load.inbound).get(30, TimeUnit.SECONDS));
            }
            sender = overHttp(target)
                    ? new HttpPublisher(target.dialect(), nodes.get(spread.publisherNode(0)).http(), channel,
                            new Payloads(publish.size, target.dialect()), load::failed)
                    : sender(target, publishers, spread, channel);
            result.put("publish_over", sender instanceof HttpPublisher ? "http" : "websocket");
            load.drive(publishers.get(0).channel().eventLoop(), sender, publish.rate, publish.window,
                    (long) load.subscribed.sum() - stopped, common.warmup, common.duration, publish.maxPublications,
                    name() + " " + target.name(), result, target.pids());
        } finally {
            if (sender instanceof HttpPublisher h) {
                h.close();
            }
            publishers.forEach(BenchConnection::close);
            subs.connections().forEach(BenchConnection::close);
        }
        if (nodes.size() > 1 && spread.onePublishingNode()) {
            putLatency(result, "same_node", load.groupLatency(0));
            putLatency(result, "other_nodes", load.groupLatency(1));
        } else if (nodes.size() > 1) {
            result.note("latency by receiving node needs one publishing node (--publish-via N)");
        }
        return result;
    }

    /** Whether this run publishes over the target's HTTP API ({@code --publish-over}). */
    private boolean overHttp(Target target) {
        return switch (publishOver) {
            case http -> true;
            case ws -> false;
            case auto -> !target.dialect().publishesOverSocket();
        };
    }

    /**
     * Subscribers that stop reading before the load starts (none here; {@code bench slow} picks some): they are
     * not expected to receive, and the others' figures show what they cost.
     */
    protected int stopReading(List<BenchConnection> subscribers, RunResult result) {
        return 0;
    }

    /** Publications through the spread's publishing connection(s); ticks run on one event loop. */
    protected PubSubLoad.Sender sender(Target target, List<BenchConnection> publishers, NodeSpread spread, String channel) {
        Payloads payloads = new Payloads(publish.size, target.dialect());
        return new PubSubLoad.Sender() {
            private long sent;

            @Override
            public void publish(long stamp) {
                publishers.get(spread.publisherFor(sent++)).write(payloads.publish(channel, stamp));
            }

            @Override
            public void flush() {
                publishers.forEach(BenchConnection::flush);
            }

            @Override
            public boolean writable() {
                return publishers.stream().allMatch(BenchConnection::isWritable);
            }
        };
    }

    /** The measured latencies of one group of receivers, as {@code <group>_p50_ms} etc. */
    protected static void putLatency(RunResult result, String group, Histogram h) {
        result.put(group + "_deliveries", h.getTotalCount());
        Map<String, Double> p = Percentiles.of(h);
        for (String label : List.of("p50", "p99", "p99.9", "max")) {
            result.put(group + "_" + label + "_ms", p.getOrDefault(label, Double.NaN));
        }
    }
}
