package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.LoadClient;
import dev.switchboard.bench.report.Headline;
import dev.switchboard.bench.report.RunResult;
import dev.switchboard.bench.targets.Target;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * Fanout across three gateway nodes sharing one Redis. Reported as unavailable until the gateway ships its Redis
 * engine: the tool says so and exits with status 3 rather than measure something else under this name.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Fanout across 3 nodes on one Redis (needs the gateway's Redis engine).")
public final class ClusterScenario extends ScenarioCommand {

    @Override
    protected String name() {
        return "cluster";
    }

    @Override
    protected List<Headline> headlines() {
        return List.of();
    }

    @Override
    protected Map<String, Object> parameters() {
        return Map.of();
    }

    @Override
    protected String unavailableReason() {
        return "the gateway's Redis engine (--engine redis) has not landed yet; this scenario will start three"
                + " nodes on one redis-server and run fanout across them once it does";
    }

    @Override
    protected RunResult runAgainst(Target target, LoadClient client) {
        throw new UnsupportedOperationException(unavailableReason());
    }
}
