package dev.switchboard.server.internal.hooks;

import dev.switchboard.server.app.GatewayEvents;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells every listener, in order; one listener's failure is logged and does not keep the others from hearing. */
public final class EventFanout implements GatewayEvents {

    private static final Logger log = LoggerFactory.getLogger(EventFanout.class);

    private final List<GatewayEvents> listeners;

    private EventFanout(List<GatewayEvents> listeners) {
        this.listeners = listeners;
    }

    /** The listeners as one; none is {@link GatewayEvents#NONE}. */
    public static GatewayEvents of(List<GatewayEvents> listeners) {
        List<GatewayEvents> real = listeners.stream().filter(l -> l != GatewayEvents.NONE).toList();
        return real.isEmpty() ? GatewayEvents.NONE : new EventFanout(real);
    }

    private void each(java.util.function.Consumer<GatewayEvents> event) {
        for (GatewayEvents l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                log.warn("event listener {} failed", l.getClass().getName(), e);
            }
        }
    }

    @Override
    public void connected(ConnectionInfo connection) {
        each(l -> l.connected(connection));
    }

    @Override
    public void disconnected(ConnectionInfo connection, int code, String reason) {
        each(l -> l.disconnected(connection, code, reason));
    }

    @Override
    public void channelOccupied(String channel) {
        each(l -> l.channelOccupied(channel));
    }

    @Override
    public void channelVacated(String channel) {
        each(l -> l.channelVacated(channel));
    }

    @Override
    public void presenceJoined(String channel, String user) {
        each(l -> l.presenceJoined(channel, user));
    }

    @Override
    public void presenceLeft(String channel, String user) {
        each(l -> l.presenceLeft(channel, user));
    }

    @Override
    public boolean wantsOccupancy() {
        return listeners.stream().anyMatch(GatewayEvents::wantsOccupancy);
    }
}
