package dev.switchboard.server.config;

import java.net.URI;

/**
 * A Pusher Channels app as the config file's {@code pusher.apps} gives it, with its own settings (null: the
 * {@code pusher} section's).
 */
public record PusherApp(String id, String key, String secret, Boolean clientEvents, URI webhookUrl) {

    /** {@code ID:KEY:SECRET}, the form of {@code --pusher-app}. */
    public static PusherApp parse(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
            throw new IllegalArgumentException("a Pusher app is ID:KEY:SECRET, not " + spec.replaceAll(":[^:]*$", ":…"));
        }
        return new PusherApp(parts[0], parts[1], parts[2], null, null);
    }
}
