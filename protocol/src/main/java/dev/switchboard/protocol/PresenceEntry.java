package dev.switchboard.protocol;

/** A user present in a channel, with how many of their connections are subscribed. */
public record PresenceEntry(String user, int connections) {
}
