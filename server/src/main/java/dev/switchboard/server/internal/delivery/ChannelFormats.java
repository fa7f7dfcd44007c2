package dev.switchboard.server.internal.delivery;

import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.Publication;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link ChannelFormat} of each namespace that has one; every other channel is written natively. */
public final class ChannelFormats {

    private final Map<String, ChannelFormat> byNamespace = new ConcurrentHashMap<>();

    /** The channels named {@code namespace:…} are written with {@code format}. */
    public void register(String namespace, ChannelFormat format) {
        byNamespace.put(namespace, format);
    }

    /** A publication's frame and who gets it. */
    record Outgoing(byte[] frame, Collection<Connection> recipients) {
    }

    /**
     * A publication as its channel's subscribers receive it: the native message frame, or the namespace's
     * format's, without the connection it names (the publisher, for Pusher's socket_id).
     */
    Outgoing publication(Publication p, Collection<Connection> subscribers) {
        ChannelFormat format = of(p.channel());
        if (format == null) {
            return new Outgoing(Json.bytes(Frames.channelMessage(p)), subscribers);
        }
        ChannelFormat.Encoded encoded = format.publication(p);
        if (encoded.exclude() == null) {
            return new Outgoing(encoded.frame(), subscribers);
        }
        return new Outgoing(encoded.frame(), subscribers.stream().filter(c -> !c.id().equals(encoded.exclude())).toList());
    }

    /** The channel's format, or null for the native one. */
    public ChannelFormat of(String channel) {
        if (byNamespace.isEmpty()) {
            return null;
        }
        int colon = channel.indexOf(':');
        return colon <= 0 ? null : byNamespace.get(channel.substring(0, colon));
    }
}
