package dev.switchboard.server.config;

import java.time.Duration;
import java.util.List;

/**
 * The options of a channel namespace: every channel named {@code <name>:…} (Centrifugo's idea). Unset values
 * ({@code null}) leave the node-wide option in force.
 *
 * @param historySize        publications kept per channel (0: none)
 * @param historyTtl         how long they are kept
 * @param presence           whether presence lists are kept
 * @param joinLeave          whether subscribers are told of joins and leaves (default: as {@code presence})
 * @param recover            whether a returning client may recover missed publications ({@code since})
 * @param clientPublish      whether clients may publish here at all (false: only backends, through the API)
 * @param subscribe          channels of the namespace a ticket without a {@code channels} claim may subscribe to,
 *                           as globs after the prefix ({@code *} is the whole namespace)
 * @param publish            the same for publishing
 * @param anonymousSubscribe what anonymous connections may subscribe to
 */
public record Namespace(String name, Integer historySize, Duration historyTtl, Boolean presence, Boolean joinLeave,
                        Boolean recover, Boolean clientPublish, List<String> subscribe, List<String> publish,
                        List<String> anonymousSubscribe) {

    /** The glob of every channel of the namespace. */
    public String allChannels() {
        return name + ":*";
    }

    /** Globs relative to the namespace, made absolute. */
    public List<String> absolute(List<String> relative) {
        return relative == null ? List.of() : relative.stream().map(g -> name + ":" + g).toList();
    }

    /** Whether {@code channel} belongs to this namespace. */
    public boolean contains(String channel) {
        return channel.length() > name.length() && channel.startsWith(name) && channel.charAt(name.length()) == ':';
    }
}
