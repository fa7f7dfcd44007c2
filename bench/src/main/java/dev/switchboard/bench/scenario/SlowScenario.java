package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.BenchConnection;
import dev.switchboard.bench.client.LoadClient;
import dev.switchboard.bench.report.RunResult;
import dev.switchboard.bench.targets.Launchers;
import dev.switchboard.bench.targets.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Slow consumers: a fan-out where a fraction of the subscribers stop reading (their sockets fill, the gateway
 * closes them with 4008 once their unsent bytes pass {@code --max-outbound-buffer}), against the same load
 * with every subscriber reading, in the same run. The headline is what they cost the others: the readers'
 * latency percentiles side by side.
 */
@Command(name = "slow", mixinStandardHelpOptions = true,
        description = "Fan-out where a fraction of subscribers never read, against all reading (the others' p50/p99, 4008 closes).")
public final class SlowScenario extends FanoutScenario {

    private static final Pattern SLOW_CLOSES = Pattern.compile("switchboard_disconnects_total\\{code=\"4008\"[^}]*}\\s+([0-9.eE+]+)");

    @Option(names = "--slow-fraction", defaultValue = "0.01",
            description = "Share of subscribers that never read (default: ${DEFAULT-VALUE}).")
    double slowFraction;

    /** slow's defaults: 1,000 subscribers, 1,000 publications/s. */
    public SlowScenario() {
        super(1000, 1000);
    }

    @Override
    protected String name() {
        return "slow";
    }

    @Override
    protected List<String> targets() {
        requireOwnTargets("compares a gateway with and without slow subscribers");
        if (slowFraction <= 0 || slowFraction >= 1) {
            throw new IllegalArgumentException("--slow-fraction must be between 0 and 1");
        }
        return List.of("switchboard-with-slow", "switchboard-all-reading");
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = super.parameters();
        p.put("slowFraction", slowFraction);
        return p;
    }

    @Override
    protected Target start(String targetName, Path log) throws Exception {
        return Launchers.gateway(targetName, gatewayJar(), common.serverJvmOptions(), common.serverArgs, Map.of(), log);
    }

    @Override
    protected int stopReading(List<BenchConnection> subscribers, RunResult result) {
        if (!result.target().equals("switchboard-with-slow")) {
            result.put("slow_subscribers", 0);
            return 0;
        }
        int every = (int) Math.max(1, Math.round(1 / slowFraction));
        int n = 0;
        for (int i = 0; i < subscribers.size(); i += every) {
            subscribers.get(i).channel().config().setAutoRead(false); // the socket fills; the kernel then the gateway buffers
            n++;
        }
        result.put("slow_subscribers", n);
        return n;
    }

    @Override
    protected RunResult runAgainst(Target target, LoadClient client) throws Exception {
        RunResult result = super.runAgainst(target, client);
        Matcher m = SLOW_CLOSES.matcher(target.get("/metrics"));
        result.put("closed_4008", m.find() ? (long) Double.parseDouble(m.group(1)) : 0L);
        return result;
    }
}
