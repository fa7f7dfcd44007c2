package dev.switchboard.server.internal.auth;

import dev.switchboard.protocol.GlobPattern;

import java.util.List;
import java.util.Map;

/**
 * What a connection may do, from its ticket's claims or the server's defaults.
 *
 * @param subscribe   channel patterns the connection may subscribe to (and read presence/history of)
 * @param publish     channel patterns it may publish to
 * @param broadcast   whether it may broadcast to every connection of its endpoint
 * @param namespaces  for the server's defaults: namespaces that decide their own channels (by name, the part
 *                    of a channel's name before its first {@code :}); empty for a ticket's claims
 */
public record Permissions(List<GlobPattern> subscribe, List<GlobPattern> publish, boolean broadcast,
                          Map<String, Permissions> namespaces) {

    /** Nothing allowed. */
    public static final Permissions NONE = new Permissions(List.of(), List.of(), false);

    public Permissions(List<GlobPattern> subscribe, List<GlobPattern> publish, boolean broadcast) {
        this(subscribe, publish, broadcast, Map.of());
    }

    public boolean maySubscribe(String channel) {
        return GlobPattern.anyMatches(scopeOf(channel).subscribe, channel);
    }

    public boolean mayPublish(String channel) {
        return GlobPattern.anyMatches(scopeOf(channel).publish, channel);
    }

    private Permissions scopeOf(String channel) {
        if (namespaces.isEmpty()) {
            return this;
        }
        int colon = channel.indexOf(':');
        Permissions ns = colon <= 0 ? null : namespaces.get(channel.substring(0, colon));
        return ns == null ? this : ns;
    }
}
