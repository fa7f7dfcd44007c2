package dev.switchboard.server.internal.transport;

import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.delivery.LocalRegistry;
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
 * <p>Each connection is pinged on its own clock, as a timer per socket would: first between half an interval
 * and an interval after it connected (where in that half is decided by its id, so that a reconnect storm is
 * spread over half an interval rather than pinged in one sweep), then every interval, by the sweep that
 * crosses that moment. The old sweep pinged every connection in one pass (10,000 pings written and 10,000
 * pongs read on the loop that carries deliveries): rooms over 30 s at 25k deliveries/s, p99 117 ms; see
 * docs/benchmarks.md.
 */
final class Heartbeats {

    private final LocalRegistry registry;
    private final TransportSettings settings;
    private final Clock clock;
    private final CredentialExpiry expiry;
    private ScheduledFuture<?> task;
    private long previousSweep;

    Heartbeats(LocalRegistry registry, TransportSettings settings, Clock clock, CredentialExpiry expiry) {
        this.expiry = expiry;
        this.registry = registry;
        this.settings = settings;
        this.clock = clock;
    }

    void start(EventLoopGroup group) {
        long tick = Math.max(20, Math.min(1000, Math.min(settings.pingInterval().toMillis(),
                Math.min(settings.idleTimeout().toMillis() / 4, settings.authTimeout().toMillis() / 4))));
        previousSweep = clock.millis();
        task = group.next().scheduleAtFixedRate(this::sweep, tick, tick, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void sweep() {
        long now = clock.millis();
        long since = previousSweep;
        previousSweep = now;
        long interval = settings.pingInterval().toMillis();
        long idleLimit = settings.idleTimeout().toMillis();
        long authLimit = settings.authTimeout().toMillis();
        for (Connection c : registry.connections()) {
            if (!c.isIdentified() && now - c.connectedAt() >= authLimit) {
                c.close(CloseCodes.AUTH_TIMEOUT, "authentication timeout");
            } else if (now - c.lastSeen() >= idleLimit) {
                c.close(CloseCodes.HEARTBEAT_TIMEOUT, "heartbeat timeout");
            } else {
                expiry.check(c, now);
                if (pingDue(c.id(), c.connectedAt(), interval, since, now)) {
                    c.channel().writeAndFlush(new PingWebSocketFrame(), c.channel().voidPromise());
                }
            }
        }
    }

    /**
     * Whether one of the connection's ping moments (half an interval after it connected, plus a per-id offset
     * below half an interval, plus each whole interval) falls in {@code (since, now]}: exactly one sweep pings
     * it per interval however late or early the sweeps run.
     */
    static boolean pingDue(String connectionId, long connectedAt, long interval, long since, long now) {
        long half = Math.max(1, interval / 2);
        int mixed = connectionId.hashCode() * 0x9E3779B9; // ids are sequential: their hash codes are near each other
        long phase = connectedAt - interval + half + Math.floorMod(mixed ^ (mixed >>> 16), half);
        return now - phase >= interval && Math.floorDiv(now - phase, interval) > Math.floorDiv(since - phase, interval);
    }
}
