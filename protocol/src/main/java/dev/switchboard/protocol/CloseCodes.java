package dev.switchboard.protocol;

/**
 * WebSocket close codes the server uses. 1000–1011 are RFC 6455's; 4000–4999 are ours (the range RFC 6455
 * reserves for applications). A client should reconnect after every code except {@link #AUTH_FAILED} and
 * {@link #KICKED} (both need a new decision, e.g. a new ticket).
 */
public final class CloseCodes {
    /** Normal closure. */
    public static final int NORMAL = 1000;
    /** The server is shutting down or draining; reconnect (to another node). */
    public static final int GOING_AWAY = 1001;
    /** Protocol error in the WebSocket framing itself. */
    public static final int PROTOCOL_ERROR = 1002;
    /**
     * The node is restarting (a rolling restart, a scale-down): reconnect now, with a little jitter, and recover
     * (RFC 6455's registered Service Restart). Sent at shutdown, spread over {@code --shutdown-spread}.
     */
    public static final int RESTARTING = 1012;
    /** A text frame (or close reason) that is not valid UTF-8 (RFC 6455 §8.1). */
    public static final int INVALID_PAYLOAD = 1007;
    /** A message larger than the configured maximum. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** Unexpected server failure. */
    public static final int INTERNAL_ERROR = 1011;

    /** Nothing received (no frame, no pong) within the heartbeat timeout. */
    public static final int HEARTBEAT_TIMEOUT = 4000;
    /** Not authenticated within the auth deadline. */
    public static final int AUTH_TIMEOUT = 4001;
    /**
     * The connection's credential (ticket or hook decision) expired and was not renewed within the grace
     * period. Reconnect with a fresh ticket.
     */
    public static final int CREDENTIAL_EXPIRED = 4005;
    /** The ticket given on the upgrade ({@code ?token=}) was rejected. */
    public static final int AUTH_FAILED = 4003;
    /** The connection could not keep up with what it was sent (its outbound buffer passed the limit). */
    public static final int SLOW_CONSUMER = 4008;
    /** Disconnected by a backend through the HTTP API. */
    public static final int KICKED = 4009;
    /** Kept sending after being rate limited. */
    public static final int RATE_LIMIT_EXCEEDED = 4029;

    private CloseCodes() {
    }
}
