package dev.switchboard.server.internal.pusher;

/**
 * The Pusher adapter's limits (Pusher's own where it has them).
 *
 * @param activityTimeoutSeconds  told to clients: ping after this much silence
 * @param maxSubscriptions        channels one connection may be subscribed to
 * @param clientEventsPerSecond   client events one connection may send per second (Pusher: 10)
 * @param maxEventBytes           largest event data, client or API (Pusher: 10 KB)
 * @param maxEventNameLength      longest event name (Pusher: 200)
 * @param messagesPerSecond       inbound messages per second per connection (the node's rate limit)
 * @param burst                   inbound burst per connection
 */
public record PusherSettings(int activityTimeoutSeconds, int maxSubscriptions, int clientEventsPerSecond,
                             int maxEventBytes, int maxEventNameLength, double messagesPerSecond, int burst) {

    /** Channels one API event may name (Pusher: 100). */
    static final int MAX_CHANNELS_PER_EVENT = 100;
    /** Events one batch may carry (Pusher: 10). */
    static final int MAX_BATCH = 10;
    /** How far an API request's auth_timestamp may be from the server's clock (Pusher: 600 s). */
    static final long TIMESTAMP_WINDOW_SECONDS = 600;
}
