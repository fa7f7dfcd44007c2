package dev.switchboard.server.internal.transport;

import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.delivery.Hub;
import dev.switchboard.server.internal.routing.CredentialExpiry;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import java.time.Clock;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One periodic sweep over all connections instead of a timer per connection (three timers per socket would
 * dominate an idle node's memory): pings every {@code pingInterval}, closes connections silent for
 * {@code idleTimeout} (4000) and those not authenticated within {@code authTimeout} (4001), and lets
 * {@link CredentialExpiry} look at every connection's credential.
 *
 * <p>Pings are spread over the interval: each sweep pings the connections whose slot it is (by id), so a node
 * never writes 10,000 pings (and reads 10,000 pongs) in one pass of the event loop that also carries
 * deliveries. Measured: rooms at 25k deliveries/s with a 2 s ping interval, p99 166 ms with every ping in
 * one pass, see docs/benchmarks.md.
 */
final class Heartbeats {

    private final Hub hub;
    private final TransportSettings settings;
    private final Clock clock;
    private final CredentialExpiry expiry;
    private ScheduledFuture<?> task;
    private int pingSlots = 1;
    private long sweeps;

    Heartbeats(Hub hub, TransportSettings settings, Clock clock, CredentialExpiry expiry) {
        this.expiry = expiry;
        this.hub = hub;
        this.settings = settings;
        this.clock = clock;
    }

    void start(EventLoopGroup group) {
        long tick = Math.max(20, Math.min(1000, Math.min(settings.pingInterval().toMillis(),
                Math.min(settings.idleTimeout().toMillis() / 4, settings.authTimeout().toMillis() / 4))));
        pingSlots = pingSlots(settings.pingInterval().toMillis(), tick);
        task = group.next().scheduleAtFixedRate(this::sweep, tick, tick, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void sweep() {
        long now = clock.millis();
        int slot = (int) (sweeps++ % pingSlots);
        long idleLimit = settings.idleTimeout().toMillis();
        long authLimit = settings.authTimeout().toMillis();
        for (Connection c : hub.connections()) {
            if (!c.isIdentified() && now - c.connectedAt() >= authLimit) {
                c.close(CloseCodes.AUTH_TIMEOUT, "authentication timeout");
            } else if (now - c.lastSeen() >= idleLimit) {
                c.close(CloseCodes.HEARTBEAT_TIMEOUT, "heartbeat timeout");
            } else {
                expiry.check(c, now);
                if (pingsNow(c.id(), slot, pingSlots)) {
                    c.channel().writeAndFlush(new PingWebSocketFrame(), c.channel().voidPromise());
                }
            }
        }
    }

    /** Sweeps per ping interval: each connection is pinged once in that many sweeps (at least every interval). */
    static int pingSlots(long pingIntervalMillis, long tickMillis) {
        return (int) Math.max(1, pingIntervalMillis / tickMillis);
    }

    /** Whether the connection with this id is pinged by the sweep in {@code slot} (of {@code slots}). */
    static boolean pingsNow(String connectionId, int slot, int slots) {
        return Math.floorMod(connectionId.hashCode(), slots) == slot;
    }
}
