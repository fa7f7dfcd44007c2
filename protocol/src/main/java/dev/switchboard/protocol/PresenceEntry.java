package dev.switchboard.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A user present in a channel, with how many of their connections are subscribed and, where the joining
 * connection gave one, what it said about the user (a Pusher presence channel's {@code user_info}).
 */
public record PresenceEntry(String user, int connections, JsonNode info) {

    /** A user without info. */
    public PresenceEntry(String user, int connections) {
        this(user, connections, null);
    }
}
