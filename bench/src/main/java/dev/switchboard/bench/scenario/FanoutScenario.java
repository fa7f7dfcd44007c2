package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.BenchConnection;
import dev.switchboard.bench.client.Connector;
import dev.switchboard.bench.client.LoadClient;
import dev.switchboard.bench.client.Payloads;
import dev.switchboard.bench.metrics.LatencyRecorder;
import dev.switchboard.bench.report.Headline;
import dev.switchboard.bench.report.RunResult;
import dev.switchboard.bench.targets.Target;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** S subscribers on one channel and one publisher: delivered messages/s and publish→deliver latency. */
@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = "S subscribers on one channel, one publisher at a fixed rate or max.")
public final class FanoutScenario extends ScenarioCommand {

    @Option(names = {"-s", "--subscribers"}, defaultValue = "1000", description = "Subscribers (default: ${DEFAULT-VALUE}).")
    int subscribers;

    @Option(names = "--rate", converter = RateConverter.class, defaultValue = "100",
            description = "Publications per second, or max (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--window", defaultValue = "4",
            description = "With --rate max: publications allowed in flight, undelivered (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--size", defaultValue = "100", description = "Payload bytes (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--max-publications", defaultValue = "1000000",
            description = "Count bound on publications per target (default: ${DEFAULT-VALUE}).")
    long maxPublications;

    @Override
    protected String name() {
        return "fanout";
    }

    @Override
    protected List<Headline> headlines() {
        return List.of(new Headline("delivered_per_s", true), new Headline("latency:p99", false),
                new Headline("delivered_per_server_cpu_s", true));
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("subscribers", subscribers);
        p.put("rate", rate == 0 ? "max (window " + window + ")" : rate);
        p.put("payloadBytes", size);
        return p;
    }

    @Override
    protected RunResult runAgainst(Target target, LoadClient client) throws Exception {
        RunResult result = new RunResult(target.name(), target.describe());
        String channel = "bench:fanout";
        String token = target.token("bench-subscriber");
        PubSubLoad load = new PubSubLoad();
        Connector connector = new Connector(client, new LatencyRecorder());
        Connector.Outcome subs = connector.open(subscribers, common.connectRate, 2000, i -> target.ws(token),
                load.inbound, Duration.ofSeconds(120), null);
        result.put("subscribers", subs.connections().size());
        result.put("subscriber_connect_failures", subs.failed());
        if (!subs.failureReasons().isEmpty()) {
            result.note("connect failures: " + subs.failureReasons());
        }
        String subscribe = Payloads.subscribe(channel);
        for (BenchConnection c : subs.connections()) {
            c.send(subscribe);
        }
        int expectedSubs = subs.connections().size();
        if (!Waits.until(() -> load.subscribed.sum() >= expectedSubs, Duration.ofSeconds(60))) {
            result.note("only " + load.subscribed.sum() + " of " + expectedSubs + " subscriptions confirmed");
        }
        BenchConnection publisher = client.connect(target.ws(target.token("bench-publisher")), subscribers,
                load.inbound).get(30, TimeUnit.SECONDS);
        Payloads payloads = new Payloads(size);
        PubSubLoad.Sender sender = new PubSubLoad.Sender() {
            @Override
            public void publish(long stamp) {
                publisher.write(payloads.publish(channel, stamp));
            }

            @Override
            public void flush() {
                publisher.flush();
            }

            @Override
            public boolean writable() {
                return publisher.isWritable();
            }
        };
        try {
            load.drive(publisher.channel().eventLoop(), sender, rate, window, (long) load.subscribed.sum(),
                    common.warmup, common.duration, maxPublications, "fanout " + target.name(), result, target.pid());
        } finally {
            publisher.close();
            subs.connections().forEach(BenchConnection::close);
        }
        return result;
    }
}
