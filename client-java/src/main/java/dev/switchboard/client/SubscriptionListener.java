package dev.switchboard.client;

/**
 * Receives what happens on one channel subscription. Only {@link #onMessage} is required. All methods run on
 * the client's callback thread, in the order the server sent things. A lambda is a message handler.
 */
@FunctionalInterface
public interface SubscriptionListener {

    /** A publication in the channel: live, or recovered after a reconnect. Never the same offset twice. */
    void onMessage(Message message);

    /** The server confirmed the subscription (first time and after every reconnect). */
    default void onSubscribed(SubscribeResult result) {
    }

    /**
     * After a reconnect the server could not deliver every missed message (history expired, epoch changed).
     * The subscription is live again from {@code result.top()}; reload the channel's state if it matters.
     */
    default void onRecoveryFailed(SubscribeResult result) {
    }

    /** A user joined or left the channel (only for channels the server tracks presence in). */
    default void onPresence(PresenceEvent event) {
    }

    /** The server refused the subscription (e.g. {@code forbidden}); the subscription is over. */
    default void onError(SwitchboardException error) {
    }
}
