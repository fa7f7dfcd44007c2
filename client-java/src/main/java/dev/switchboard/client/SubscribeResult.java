package dev.switchboard.client;

import dev.switchboard.protocol.StreamPosition;
/**
 * The server's answer to a (re)subscription.
 *
 * @param channel      the channel
 * @param top          the channel's newest position when the server subscribed us
 * @param resubscribed whether this was a resubscription after a reconnect (with {@code since})
 * @param recovered    for resubscriptions: whether every message missed while disconnected was delivered.
 *                     {@code false} means a gap: the app should reload its view (e.g. via
 *                     {@link SwitchboardClient#history}). Always {@code true} for first subscriptions.
 */
public record SubscribeResult(String channel, StreamPosition top, boolean resubscribed, boolean recovered) {
}
