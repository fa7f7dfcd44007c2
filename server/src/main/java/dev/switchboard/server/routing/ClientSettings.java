package dev.switchboard.server.routing;

import dev.switchboard.server.auth.Permissions;
import dev.switchboard.server.auth.TicketVerifier;

/**
 * Per-node settings every {@link Client} shares (one instance per node, so they cost a connection nothing).
 *
 * @param nodeId               this node's id, shown in {@code welcome}
 * @param verifier             checks tickets
 * @param anonymousPermissions what anonymous connections may do
 * @param messagesPerSecond    sustained inbound message rate per connection
 * @param burst                inbound burst size per connection
 * @param maxQueued            handler tasks a connection may have waiting before further messages are refused
 * @param metrics              the node's routing meters
 */
public record ClientSettings(String nodeId, TicketVerifier verifier, Permissions anonymousPermissions,
                             double messagesPerSecond, int burst, int maxQueued, ClientMetrics metrics) {
}
