package dev.switchboard.server.internal.routing;

import dev.switchboard.server.internal.delivery.ChannelMembership;
import dev.switchboard.server.internal.delivery.LocalRegistry;
import dev.switchboard.server.internal.operations.Operations;

/**
 * The parts of the node a connection's {@link Client} works with: the registry it joins, the channel
 * membership its subscriptions change, and the operations its handlers call.
 */
public record NodeServices(LocalRegistry registry, ChannelMembership channels, Operations operations) {
}
