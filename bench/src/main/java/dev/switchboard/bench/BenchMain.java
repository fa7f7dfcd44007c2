package dev.switchboard.bench;

import dev.switchboard.bench.scenario.ClusterScenario;
import dev.switchboard.bench.scenario.ConnectionsScenario;
import dev.switchboard.bench.scenario.RepliesScenario;
import dev.switchboard.bench.scenario.StreamsScenario;
import dev.switchboard.bench.scenario.FanoutScenario;
import dev.switchboard.bench.scenario.KafkaScenario;
import dev.switchboard.bench.scenario.RoomsScenario;
import dev.switchboard.bench.scenario.RollingScenario;
import dev.switchboard.bench.scenario.RpcScenario;
import dev.switchboard.bench.scenario.SlowScenario;
import dev.switchboard.bench.scenario.SoakCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code switchboard bench <scenario>}: load scenarios against the gateway and, side by side, a baseline. */
@Command(name = "switchboard bench", mixinStandardHelpOptions = true, version = "switchboard-bench 0.1.0",
        description = "Benchmarks the gateway on loopback (bounded in time and count) and optionally a baseline.",
        subcommands = {ConnectionsScenario.class, FanoutScenario.class, RoomsScenario.class, RpcScenario.class,
                RepliesScenario.class, StreamsScenario.class,
                ClusterScenario.class, KafkaScenario.class, SlowScenario.class, SoakCommand.class, RollingScenario.class,
                dev.switchboard.bench.scenario.PublishScenario.class, dev.switchboard.bench.faults.FaultsCommand.class})
public final class BenchMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int code = new CommandLine(new BenchMain()).execute(args);
        System.exit(code);
    }
}
