package dev.switchboard.server.internal.pusher;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Pusher Channels apps this node serves. Each app's channels live in a namespace of their own,
 * {@code pusher.<id>:<channel>}, so apps never see each other's channels, nor native clients theirs; a native
 * backend reaches them with the HTTP API under those names.
 */
public final class PusherApps {

    /** The prefix of every app's namespace. */
    public static final String NAMESPACE_PREFIX = "pusher.";

    /**
     * One app.
     *
     * @param clientEvents whether its clients may send client-* events
     * @param webhookUrl   where its webhooks go, or null
     */
    public record App(String id, String key, String secret, boolean clientEvents, URI webhookUrl) {

        public App {
            if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("a Pusher app id is letters, digits, '_' or '-': " + id);
            }
            if (!key.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("a Pusher app key is letters, digits, '_' or '-' (app " + id + ")");
            }
            if (secret.length() < 8) {
                throw new IllegalArgumentException("the secret of Pusher app " + id + " must be at least 8 characters");
            }
        }

        /** The namespace of this app's channels. */
        public String namespace() {
            return NAMESPACE_PREFIX + id;
        }

        /** The gateway's name of one of this app's channels. */
        public String internal(String channel) {
            return namespace() + ":" + channel;
        }

        /** The app's name of one of its channels, from the gateway's. */
        public String external(String internal) {
            return internal.substring(namespace().length() + 1);
        }
    }

    private final Map<String, App> byKey = new LinkedHashMap<>();
    private final Map<String, App> byId = new LinkedHashMap<>();

    public PusherApps(List<App> apps) {
        for (App a : apps) {
            if (byKey.put(a.key(), a) != null || byId.put(a.id(), a) != null) {
                throw new IllegalArgumentException("two Pusher apps share the id or key of app " + a.id());
            }
        }
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    public List<App> all() {
        return List.copyOf(byId.values());
    }

    /** The app with this key, or null. */
    public App byKey(String key) {
        return byKey.get(key);
    }

    /** The app with this id, or null. */
    public App byId(String id) {
        return byId.get(id);
    }

    /** The app owning a gateway channel name, or null when it is none of theirs. */
    public App ofChannel(String internal) {
        if (!internal.startsWith(NAMESPACE_PREFIX)) {
            return null;
        }
        int colon = internal.indexOf(':');
        return colon < 0 ? null : byId.get(internal.substring(NAMESPACE_PREFIX.length(), colon));
    }
}
