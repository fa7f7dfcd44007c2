package dev.switchboard.client;

/** One user present in a channel and how many of their connections are subscribed to it. */
public record PresenceUser(String user, int connections) {
}
