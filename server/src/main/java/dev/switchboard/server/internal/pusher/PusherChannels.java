package dev.switchboard.server.internal.pusher;

import java.util.regex.Pattern;

/** Pusher's channel-name rules and kinds: public, {@code private-}, {@code private-encrypted-}, {@code presence-}. */
final class PusherChannels {

    /** Pusher's limit on a channel name. */
    static final int MAX_LENGTH = 164;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-=@,.;]+");

    private PusherChannels() {
    }

    static boolean valid(String name) {
        return name != null && name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
    }

    static boolean isPresence(String name) {
        return name.startsWith("presence-");
    }

    static boolean isEncrypted(String name) {
        return name.startsWith("private-encrypted-");
    }

    /** Private (encrypted ones included) and presence channels need the app's signature to subscribe. */
    static boolean needsAuth(String name) {
        return name.startsWith("private-") || isPresence(name);
    }

    /** Client events go to private and presence channels only. */
    static boolean takesClientEvents(String name) {
        return needsAuth(name);
    }
}
