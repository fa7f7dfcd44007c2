package dev.switchboard.server.internal.pusher;

import java.util.regex.Pattern;

/**
 * Pusher's channel-name rules and kinds: public, {@code private-}, {@code private-encrypted-}, {@code presence-},
 * and the user channel {@code #server-to-user-{id}} that pusher-js joins after {@code pusher:signin} and
 * {@code sendToUser} triggers to.
 */
final class PusherChannels {

    /** Pusher's limit on a channel name. */
    static final int MAX_LENGTH = 164;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-=@,.;]+");

    private PusherChannels() {
    }

    /** The prefix of a signed-in user's channel; only a connection signed in as that user may join it. */
    static final String USER_CHANNEL = "#server-to-user-";

    static boolean valid(String name) {
        if (name == null || name.length() > MAX_LENGTH) {
            return false;
        }
        String rest = isUserChannel(name) ? name.substring(USER_CHANNEL.length()) : name;
        return NAME.matcher(rest).matches();
    }

    static boolean isUserChannel(String name) {
        return name.startsWith(USER_CHANNEL);
    }

    /** The user a {@link #isUserChannel user channel} belongs to. */
    static String userOf(String name) {
        return name.substring(USER_CHANNEL.length());
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
