package dev.switchboard.server.app;

import java.util.List;

/**
 * Channel patterns a backend grants a connection, the hook counterpart of a ticket's {@code channels} claim.
 *
 * @param subscribe globs the connection may subscribe to (and read presence and history of)
 * @param publish   globs it may publish to
 * @param broadcast whether it may {@code broadcast}
 */
public record ChannelGrants(List<String> subscribe, List<String> publish, boolean broadcast) {
    public ChannelGrants {
        subscribe = subscribe == null ? List.of() : List.copyOf(subscribe);
        publish = publish == null ? List.of() : List.copyOf(publish);
    }
}
