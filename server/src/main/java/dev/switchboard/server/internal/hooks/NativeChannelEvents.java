package dev.switchboard.server.internal.hooks;

import dev.switchboard.server.app.ForwardingEvents;
import dev.switchboard.server.app.GatewayEvents;
import java.util.function.Predicate;

/**
 * A listener told of the native protocol's channels only: another protocol's channels (a Pusher app's) have
 * their own webhooks, and the native ones must not carry them.
 */
public final class NativeChannelEvents extends ForwardingEvents {

    private final Predicate<String> isNative;

    public NativeChannelEvents(GatewayEvents delegate, Predicate<String> isNative) {
        super(delegate);
        this.isNative = isNative;
    }

    /** {@code delegate} filtered, or NONE as it is. */
    public static GatewayEvents of(GatewayEvents delegate, Predicate<String> isNative) {
        return delegate == GatewayEvents.NONE ? delegate : new NativeChannelEvents(delegate, isNative);
    }

    @Override
    public void channelOccupied(String channel) {
        if (isNative.test(channel)) {
            delegate.channelOccupied(channel);
        }
    }

    @Override
    public void channelVacated(String channel) {
        if (isNative.test(channel)) {
            delegate.channelVacated(channel);
        }
    }

    @Override
    public void presenceJoined(String channel, String user) {
        if (isNative.test(channel)) {
            delegate.presenceJoined(channel, user);
        }
    }

    @Override
    public void presenceLeft(String channel, String user) {
        if (isNative.test(channel)) {
            delegate.presenceLeft(channel, user);
        }
    }
}
