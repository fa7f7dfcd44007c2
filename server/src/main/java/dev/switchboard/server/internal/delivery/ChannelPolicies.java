package dev.switchboard.server.internal.delivery;

import dev.switchboard.protocol.GlobPattern;
import java.util.List;
import java.util.Map;

/**
 * What a channel keeps and allows, by its namespace (the part of its name before the first {@code :}) or, for
 * channels of no configured namespace, by the node-wide options: presence lists, join/leave events,
 * recovery of missed publications, and whether clients may publish at all.
 */
public final class ChannelPolicies {

    /** A namespace's choices; null leaves the node-wide choice in force. */
    public record Namespace(Boolean presence, Boolean joinLeave, Boolean recover, Boolean clientPublish) {
    }

    private final List<GlobPattern> presenceChannels;
    private final Map<String, Namespace> namespaces;

    /**
     * @param presenceChannels channels with presence (and join/leave) outside namespaces that say otherwise
     * @param namespaces       by namespace name
     */
    public ChannelPolicies(List<GlobPattern> presenceChannels, Map<String, Namespace> namespaces) {
        this.presenceChannels = presenceChannels;
        this.namespaces = Map.copyOf(namespaces);
    }

    /** Presence as the node-wide options give it (no namespaces). */
    public static ChannelPolicies flat(List<GlobPattern> presenceChannels) {
        return new ChannelPolicies(presenceChannels, Map.of());
    }

    private Namespace namespaceOf(String channel) {
        if (namespaces.isEmpty()) {
            return null;
        }
        int colon = channel.indexOf(':');
        return colon <= 0 ? null : namespaces.get(channel.substring(0, colon));
    }

    /** Whether the channel's presence list is kept (and may be read). */
    public boolean presence(String channel) {
        Namespace ns = namespaceOf(channel);
        return ns != null && ns.presence() != null ? ns.presence() : GlobPattern.anyMatches(presenceChannels, channel);
    }

    /** Whether subscribers are told when a user joins or leaves. */
    public boolean joinLeave(String channel) {
        Namespace ns = namespaceOf(channel);
        return ns != null && ns.joinLeave() != null ? ns.joinLeave() : presence(channel);
    }

    /** Whether who is in the channel must be tracked (for its list or its join/leave events). */
    boolean tracksMembers(String channel) {
        return presence(channel) || joinLeave(channel);
    }

    /** Whether a returning client may recover what it missed. */
    public boolean recover(String channel) {
        Namespace ns = namespaceOf(channel);
        return ns == null || ns.recover() == null || ns.recover();
    }

    /** Whether clients may publish to the channel at all (their permissions permitting). */
    public boolean clientPublish(String channel) {
        Namespace ns = namespaceOf(channel);
        return ns == null || ns.clientPublish() == null || ns.clientPublish();
    }
}
