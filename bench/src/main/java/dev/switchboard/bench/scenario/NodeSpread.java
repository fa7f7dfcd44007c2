package dev.switchboard.bench.scenario;

import java.util.Locale;

/**
 * How a pub/sub load spreads over a target's gateway nodes: subscriber i connects to node {@code i mod nodes};
 * publications go through one chosen node, or round-robin over all of them with one publishing connection per
 * node. A single-node target publishes through its node whatever was chosen, so the same options drive both.
 *
 * @param nodes how many nodes the target has
 * @param via the 0-based publishing node, or {@link #ROUND_ROBIN}
 */
record NodeSpread(int nodes, int via) {

    /** {@link #via} for round-robin publishing. */
    static final int ROUND_ROBIN = -1;

    NodeSpread {
        if (nodes < 1 || via < ROUND_ROBIN || via >= nodes) {
            throw new IllegalArgumentException("no node " + (via + 1) + " among " + nodes);
        }
    }

    /** Parses {@code --publish-via}: a node number from 1, or {@code round-robin}. */
    static NodeSpread of(int nodes, String publishVia) {
        String v = publishVia.trim().toLowerCase(Locale.ROOT);
        if (nodes == 1) {
            if (!v.equals("round-robin")) {
                parseNode(v);
            }
            return new NodeSpread(1, 0);
        }
        if (v.equals("round-robin")) {
            return new NodeSpread(nodes, ROUND_ROBIN);
        }
        int node = parseNode(v);
        if (node > nodes) {
            throw new IllegalArgumentException("--publish-via " + publishVia + ": there are only " + nodes + " nodes");
        }
        return new NodeSpread(nodes, node - 1);
    }

    private static int parseNode(String v) {
        try {
            int node = Integer.parseInt(v);
            if (node >= 1) {
                return node;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--publish-via takes a node number (1, 2, ...) or round-robin, not " + v);
    }

    /** The node subscriber {@code index} connects to. */
    int subscriberNode(int index) {
        return index % nodes;
    }

    /** Whether every publication goes through the same node (so "same node as the publisher" is defined). */
    boolean onePublishingNode() {
        return via != ROUND_ROBIN;
    }

    /** How many publishing connections the load opens. */
    int publishers() {
        return onePublishingNode() ? 1 : nodes;
    }

    /** The node publishing connection {@code k} connects to. */
    int publisherNode(int k) {
        return onePublishingNode() ? via : k;
    }

    /** The publishing connection that sends publication number {@code n} (counted from 0). */
    int publisherFor(long n) {
        return onePublishingNode() ? 0 : (int) (n % nodes);
    }

    /** Latency group of subscriber {@code index}: {@code 0} on the publishing node, {@code 1} on another one. */
    int group(int index) {
        return onePublishingNode() && subscriberNode(index) != via ? 1 : 0;
    }
}
