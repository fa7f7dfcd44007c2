package dev.switchboard.bench.scenario;

import dev.switchboard.bench.targets.ClusterTarget;
import dev.switchboard.bench.targets.Launchers;
import dev.switchboard.bench.targets.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Fanout across three gateway nodes on one redis-server ({@code --engine redis}), subscribers spread evenly over
 * the nodes, next to the same load against one node with the memory engine in the same invocation: the ratio
 * is what crossing nodes through Redis costs. With one publishing node the latency is also split by receiving
 * node (the publisher's own node versus the others).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Fanout across 3 nodes on one Redis, compared with 1 node on the memory engine.")
public final class ClusterScenario extends FanoutScenario {

    /** The cluster target's name in reports; ratios read "3-nodes-redis vs 1-node-memory". */
    static final String CLUSTER = "3-nodes-redis";
    /** The single-node reference target's name. */
    static final String SINGLE = "1-node-memory";
    /** The --baseline socketio cluster: three Socket.IO nodes on @socket.io/redis-adapter, the same Redis set-up. */
    static final String SOCKETIO_CLUSTER = "socketio-3-nodes-redis";
    private static final int NODES = 3;

    @Option(names = "--publish-via", defaultValue = "1",
            description = "Node the publisher connects to (1..3), or round-robin over all three (default: "
                    + "${DEFAULT-VALUE}). The single-node reference publishes through its only node.")
    String publishVia;

    @Option(names = "--no-single", description = "Skip the single-node reference run.")
    boolean noSingle;

    /** cluster's defaults: 3,000 subscribers (1,000 per node), 10 publications/s. */
    public ClusterScenario() {
        super(3000, 10);
    }

    @Override
    protected String name() {
        return "cluster";
    }

    @Override
    protected String publishVia() {
        return publishVia;
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = super.parameters();
        p.put("nodes", NODES);
        p.put("publishVia", publishVia);
        return p;
    }

    @Override
    protected List<String> targets() {
        List<String> baselines = common.baselines();
        if (common.url != null || baselines.stream().anyMatch(b -> !b.equals("socketio"))) {
            throw new IllegalArgumentException("cluster starts its own redis-server and nodes: --url does not"
                    + " apply, and the only --baseline is socketio (a Socket.IO cluster on @socket.io/redis-adapter)");
        }
        NodeSpread.of(NODES, publishVia); // fails early on a bad --publish-via
        List<String> targets = new ArrayList<>(List.of(CLUSTER));
        if (!baselines.isEmpty()) {
            targets.add(SOCKETIO_CLUSTER);
        }
        if (!noSingle) {
            targets.add(SINGLE);
        }
        return targets;
    }

    @Override
    protected Target start(String targetName, Path log) throws Exception {
        if (SOCKETIO_CLUSTER.equals(targetName)) {
            return ClusterTarget.socketIo(SOCKETIO_CLUSTER, NODES, log);
        }
        if (CLUSTER.equals(targetName)) {
            return ClusterTarget.start(CLUSTER, NODES, gatewayJar(), common.serverJvmOptions(), common.serverArgs,
                    log);
        }
        List<String> args = new ArrayList<>(common.serverArgs);
        args.add("--engine=memory");
        return Launchers.gateway(SINGLE, gatewayJar(), common.serverJvmOptions(), args, Map.of(), log);
    }
}
