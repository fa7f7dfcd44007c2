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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A chat workload: many rooms (channels) with a few members each; every publication comes from a random member
 * of a random room and reaches that room's members (the sender included, as chat clients expect).
 */
@Command(name = "rooms", mixinStandardHelpOptions = true,
        description = "Many channels with a few subscribers each; members publish into their own room.")
public final class RoomsScenario extends ScenarioCommand {

    @Option(names = "--rooms", defaultValue = "1000", description = "Rooms (default: ${DEFAULT-VALUE}).")
    int rooms;

    @Option(names = "--members", defaultValue = "5", description = "Members per room (default: ${DEFAULT-VALUE}).")
    int members;

    @Mixin
    final PublishOptions publish = new PublishOptions(2000, 64, 5_000_000);





    @Override
    protected String name() {
        return "rooms";
    }

    @Override
    protected List<Headline> headlines() {
        return PubSubLoad.HEADLINES;
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("rooms", rooms);
        p.put("members", members);
        p.put("rate", publish.describeRate());
        p.put("payloadBytes", publish.size);
        return p;
    }

    static String room(int connectionIndex, int members) {
        return "bench:room:" + (connectionIndex / members);
    }

    @Override
    protected RunResult runAgainst(Target target, LoadClient client) throws Exception {
        RunResult result = new RunResult(target.name(), target.describe());
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            tokens.add(target.token("bench-member-" + i));
        }
        Payloads payloads = new Payloads(publish.size, target.dialect());
        PubSubLoad load = new PubSubLoad();
        Connector connector = new Connector(client, new LatencyRecorder());
        int total = rooms * members;
        Connector.Outcome outcome = connector.open(total, common.connectRate, 2000,
                i -> target.ws(tokens.get(i % tokens.size())), load.inbound, Duration.ofSeconds(120), null);
        List<BenchConnection> conns = new ArrayList<>(outcome.connections());
        conns.sort((a, b) -> Integer.compare(a.index(), b.index()));
        result.put("connections", conns.size());
        result.put("connect_failures", outcome.failed());
        for (BenchConnection c : conns) {
            c.send(payloads.subscribe(room(c.index(), members)));
        }
        if (!Waits.until(() -> load.subscribed.sum() >= conns.size(), Duration.ofSeconds(60))) {
            result.note("only " + load.subscribed.sum() + " of " + conns.size() + " subscriptions confirmed");
        }
        // Publish only from complete rooms, so every publication expects exactly `members` deliveries.
        Map<Integer, Integer> perRoom = new LinkedHashMap<>();
        conns.forEach(c -> perRoom.merge(c.index() / members, 1, Integer::sum));
        List<BenchConnection> senders = new ArrayList<>();
        for (BenchConnection c : conns) {
            if (perRoom.get(c.index() / members) == members) {
                senders.add(c);
            }
        }
        if (senders.isEmpty()) {
            throw new IllegalStateException("no complete room could be set up");
        }
        SplittableRandom random = new SplittableRandom(42);
        Set<BenchConnection> dirty = new HashSet<>();
        PubSubLoad.Sender sender = new PubSubLoad.Sender() {
            @Override
            public void publish(long stamp) {
                BenchConnection c = senders.get(random.nextInt(senders.size()));
                c.write(payloads.publish(room(c.index(), members), stamp));
                dirty.add(c);
            }

            @Override
            public void flush() {
                dirty.forEach(BenchConnection::flush);
                dirty.clear();
            }

            @Override
            public boolean writable() {
                return true;
            }
        };
        try {
            load.drive(client.group().next(), sender, publish.rate, publish.window, members, common.warmup, common.duration,
                    publish.maxPublications, "rooms " + target.name(), result, target.pids());
        } finally {
            conns.forEach(BenchConnection::close);
        }
        return result;
    }
}
