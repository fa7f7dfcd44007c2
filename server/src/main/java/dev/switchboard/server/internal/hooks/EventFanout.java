package dev.switchboard.server.internal.hooks;

import dev.switchboard.protocol.SerialExecutor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;
import dev.switchboard.server.app.GatewayEvents;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every listener of every event, one event at a time, in the order they happened, on a virtual thread
 * of its own: the callers (event loops, engine threads, code holding a channel's lock) only queue, so a slow
 * or blocking listener never stalls a socket or a lock. One listener's failure is logged and does not keep
 * the others from hearing. The queue is bounded: past {@code maxQueued} events an event is dropped, counted
 * and logged, rather than let a stuck listener grow the node's memory.
 */
public final class EventFanout implements GatewayEvents {

    private static final Logger log = LoggerFactory.getLogger(EventFanout.class);

    private final List<GatewayEvents> listeners;
    private final SerialExecutor queue;
    private final int maxQueued;
    private final Counter dropped;

    private EventFanout(List<GatewayEvents> listeners, int maxQueued, MeterRegistry metrics) {
        this.listeners = listeners;
        this.maxQueued = maxQueued;
        this.queue = new SerialExecutor(task -> Thread.ofVirtual().name("events").start(task),
                t -> log.warn("event dispatch failed", t));
        this.dropped = Counter.builder("switchboard.events.dropped")
                .description("events not told to listeners because too many were waiting").register(metrics);
    }

    /** The listeners as one; none is {@link GatewayEvents#NONE}. */
    public static GatewayEvents of(List<GatewayEvents> listeners, int maxQueued, MeterRegistry metrics) {
        List<GatewayEvents> real = listeners.stream().filter(l -> l != GatewayEvents.NONE).toList();
        return real.isEmpty() ? GatewayEvents.NONE : new EventFanout(real, maxQueued, metrics);
    }

    private void each(Consumer<GatewayEvents> event) {
        if (queue.pending() >= maxQueued) {
            dropped.increment();
            log.warn("{} events wait for slow listeners: one dropped", maxQueued);
            return;
        }
        queue.execute(() -> {
            for (GatewayEvents l : listeners) {
                try {
                    event.accept(l);
                } catch (RuntimeException e) {
                    log.warn("event listener {} failed", l.getClass().getName(), e);
                }
            }
        });
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

    @Override
    public boolean wantsDisconnects() {
        return listeners.stream().anyMatch(GatewayEvents::wantsDisconnects);
    }
}
