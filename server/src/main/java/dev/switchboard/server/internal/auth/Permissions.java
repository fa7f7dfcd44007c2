package dev.switchboard.server.internal.auth;

import dev.switchboard.protocol.GlobPattern;

import java.util.List;

/**
 * What a connection may do, from its ticket's claims or the server's defaults.
 *
 * @param subscribe channel patterns the connection may subscribe to (and read presence/history of)
 * @param publish   channel patterns it may publish to
 * @param broadcast whether it may broadcast to every connection of its endpoint
 */
public record Permissions(List<GlobPattern> subscribe, List<GlobPattern> publish, boolean broadcast) {

    /** Nothing allowed. */
    public static final Permissions NONE = new Permissions(List.of(), List.of(), false);

    public boolean maySubscribe(String channel) {
        return GlobPattern.anyMatches(subscribe, channel);
    }

    public boolean mayPublish(String channel) {
        return GlobPattern.anyMatches(publish, channel);
    }
}
