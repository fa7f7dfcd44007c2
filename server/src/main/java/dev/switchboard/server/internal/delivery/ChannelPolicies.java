package dev.switchboard.server.internal.delivery;

import dev.switchboard.protocol.GlobPattern;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a channel keeps and allows, by its namespace (the part of its name before the first {@code :}) or, for
 * channels of no configured namespace, by the node-wide options: presence lists, join/leave events,
 * recovery of missed publications, whether clients of the native protocol may use it or publish to it, and
 * whether the cluster keeps an index of its channels (for protocols whose API lists them).
 */
public final class ChannelPolicies {

    /** A namespace's choices; null leaves the node-wide choice in force. */
    public record Namespace(Boolean presence, Boolean joinLeave, Boolean recover, Boolean clientPublish,
                            Boolean nativeClients, Boolean indexed) {

        /** The choices a configuration file can make. */
        public Namespace(Boolean presence, Boolean joinLeave, Boolean recover, Boolean clientPublish) {
            this(presence, joinLeave, recover, clientPublish, null, null);
        }
    }

    private static final Namespace NONE = new Namespace(null, null, null, null);

    private final List<GlobPattern> presenceChannels;
    /** By namespace name: the choices for one of its channels. */
    private final Map<String, Function<String, Namespace>> namespaces = new ConcurrentHashMap<>();

    /**
     * @param presenceChannels channels with presence (and join/leave) outside namespaces that say otherwise
     * @param namespaces       by namespace name
     */
    public ChannelPolicies(List<GlobPattern> presenceChannels, Map<String, Namespace> namespaces) {
        this.presenceChannels = presenceChannels;
        namespaces.forEach((name, ns) -> this.namespaces.put(name, channel -> ns));
    }

    /** Presence as the node-wide options give it (no namespaces). */
    public static ChannelPolicies flat(List<GlobPattern> presenceChannels) {
        return new ChannelPolicies(presenceChannels, Map.of());
    }

    /** A namespace whose choices depend on the channel (a protocol adapter's: Pusher's presence- prefix). */
    public void register(String namespace, Function<String, Namespace> choices) {
        namespaces.put(namespace, choices);
    }

    /** The namespace of a channel: the part of its name before the first {@code :}, or null. */
    public static String namespaceOf(String channel) {
        int colon = channel.indexOf(':');
        return colon <= 0 ? null : channel.substring(0, colon);
    }

    private Namespace choices(String channel) {
        if (namespaces.isEmpty()) {
            return NONE;
        }
        String ns = namespaceOf(channel);
        Function<String, Namespace> choices = ns == null ? null : namespaces.get(ns);
        return choices == null ? NONE : choices.apply(channel);
    }

    /** Whether the channel's presence list is kept (and may be read). */
    public boolean presence(String channel) {
        Namespace ns = choices(channel);
        return ns.presence() != null ? ns.presence() : GlobPattern.anyMatches(presenceChannels, channel);
    }

    /** Whether subscribers are told when a user joins or leaves. */
    public boolean joinLeave(String channel) {
        Namespace ns = choices(channel);
        return ns.joinLeave() != null ? ns.joinLeave() : presence(channel);
    }

    /** Whether who is in the channel must be tracked (for its list or its join/leave events). */
    boolean tracksMembers(String channel) {
        return presence(channel) || joinLeave(channel);
    }

    /** Whether a returning client may recover what it missed. */
    public boolean recover(String channel) {
        Namespace ns = choices(channel);
        return ns.recover() == null || ns.recover();
    }

    /** Whether clients may publish to the channel at all (their permissions permitting). */
    public boolean clientPublish(String channel) {
        Namespace ns = choices(channel);
        return ns.clientPublish() == null || ns.clientPublish();
    }

    /** Whether clients of the native protocol may subscribe or publish (false: another protocol's channels). */
    public boolean nativeClients(String channel) {
        Namespace ns = choices(channel);
        return ns.nativeClients() == null || ns.nativeClients();
    }

    /** The namespace whose channels the cluster indexes (subscriptions per channel), or null. */
    String indexOf(String channel) {
        Namespace ns = choices(channel);
        return ns.indexed() != null && ns.indexed() ? namespaceOf(channel) : null;
    }
}
