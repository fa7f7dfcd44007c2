package dev.switchboard.server.engine;

import dev.switchboard.protocol.Publication;

/** What a {@link Broker} hands to this node's hub. Called from broker threads: implementations must not block. */
public interface BrokerListener {

    /** A publication in a channel this node subscribed to (including the node's own publications). */
    void onPublication(Publication publication);

    /** An encoded frame for this node's connections matching {@code target}. */
    void onDelivery(Target target, byte[] frame);

    /** Close this node's connections matching {@code target}. */
    void onDisconnect(Target target, int code, String reason);
}
