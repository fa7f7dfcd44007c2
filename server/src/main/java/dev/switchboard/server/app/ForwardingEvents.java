package dev.switchboard.server.app;

/**
 * A {@link GatewayEvents} that passes everything to another: extend it and override what you change (filter,
 * enrich, record) instead of forwarding each event by hand.
 */
public abstract class ForwardingEvents implements GatewayEvents {

    protected final GatewayEvents delegate;

    protected ForwardingEvents(GatewayEvents delegate) {
        this.delegate = delegate;
    }

    @Override
    public void connected(ConnectionInfo connection) {
        delegate.connected(connection);
    }

    @Override
    public void disconnected(ConnectionInfo connection, int code, String reason) {
        delegate.disconnected(connection, code, reason);
    }

    @Override
    public void channelOccupied(String channel) {
        delegate.channelOccupied(channel);
    }

    @Override
    public void channelVacated(String channel) {
        delegate.channelVacated(channel);
    }

    @Override
    public void presenceJoined(String channel, String user) {
        delegate.presenceJoined(channel, user);
    }

    @Override
    public void presenceLeft(String channel, String user) {
        delegate.presenceLeft(channel, user);
    }

    @Override
    public boolean wantsOccupancy() {
        return delegate.wantsOccupancy();
    }

    @Override
    public boolean wantsDisconnects() {
        return delegate.wantsDisconnects();
    }
}
