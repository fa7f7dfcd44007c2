package dev.switchboard.server.app;

import dev.switchboard.server.engine.NodeInfo;
import java.util.List;

/**
 * Every node's counts: this node first (live), the others as they last reported (Redis engine).
 *
 * @param partial true when the engine could not be asked: {@code nodes} is this node alone
 */
public record ClusterView(List<NodeInfo> nodes, boolean partial) {

    /** Open connections across the nodes listed. */
    public long connections() {
        return nodes.stream().mapToLong(NodeInfo::connections).sum();
    }
}
