package dev.switchboard.server.internal.routing;

import dev.switchboard.server.internal.auth.Permissions;
import dev.switchboard.server.internal.auth.TicketVerifier;
import dev.switchboard.server.app.GatewayEvents;
import dev.switchboard.server.app.LifecycleHooks;
import java.util.Set;

/**
 * Per-node settings every {@link Client} shares (one instance per node, so they cost a connection nothing).
 *
 * @param nodeId               this node's id, shown in {@code welcome}
 * @param verifier             checks tickets
 * @param defaultPermissions   what a connection let in by a hook without {@code channels} (and no ticket) may do
 * @param anonymousPermissions what anonymous connections may do
 * @param messagesPerSecond    sustained inbound message rate per connection
 * @param burst                inbound burst size per connection
 * @param maxQueued            handler tasks a connection may have waiting before further messages are refused
 * @param metrics              the node's routing meters
 * @param hooks                the backend's decisions (connect, refresh, subscribe, publish)
 * @param events               who hears of connects and disconnects
 * @param forwardHeaders       upgrade headers (lower-case names) the connect hook is shown
 * @param maxSubscriptions     channels one connection may be subscribed to at once
 * @param tracing              spans for handler runs (off: the no-op tracer)
 */
public record ClientSettings(String nodeId, TicketVerifier verifier, Permissions defaultPermissions,
                             Permissions anonymousPermissions, double messagesPerSecond, int burst, int maxQueued,
                             ClientMetrics metrics, LifecycleHooks hooks, GatewayEvents events,
                             Set<String> forwardHeaders, int maxSubscriptions,
                             dev.switchboard.server.internal.observe.Tracing tracing) {
}
