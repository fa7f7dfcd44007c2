package dev.switchboard.server.engine;

/**
 * What one gateway node last reported about itself: how many connections and distinct users it holds.
 *
 * @param node        the node id
 * @param connections open connections on that node
 * @param users       distinct users among them (a user on two nodes counts on both)
 * @param updatedAt   when the node reported, epoch milliseconds by its own clock
 */
public record NodeInfo(String node, long connections, long users, long updatedAt) {
}
